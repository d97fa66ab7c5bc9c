package io.bizobs.remediation.flags.api;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A change stream refused because as many are open as allowed: 429, and when to try again.
 */
class TooManyStreamsException extends ErrorResponseException {

	TooManyStreamsException(String message, Duration retryAfter) {
		super(HttpStatus.TOO_MANY_REQUESTS, problem(message), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
	}

	private static ProblemDetail problem(String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, message);
		problem.setTitle("Too many change streams");
		return problem;
	}

}
