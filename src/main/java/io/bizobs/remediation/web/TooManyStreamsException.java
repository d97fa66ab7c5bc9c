package io.bizobs.remediation.web;

import java.time.Duration;

/**
 * A change stream refused because as many are open as allowed.
 */
class TooManyStreamsException extends RuntimeException {

	private final Duration retryAfter;

	TooManyStreamsException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	Duration retryAfter() {
		return this.retryAfter;
	}

}
