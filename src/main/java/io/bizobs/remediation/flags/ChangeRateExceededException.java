package io.bizobs.remediation.flags;

import java.time.Duration;

/**
 * A flag changed too often in too short a time; the change was not applied.
 */
public class ChangeRateExceededException extends RuntimeException {

	private final Duration retryAfter;

	public ChangeRateExceededException(String flag, String caller, int maxChanges, Duration window,
			Duration retryAfter) {
		super("Flag '" + flag + "' was changed " + maxChanges + " times by " + caller + " in the last "
				+ describe(window) + ", the most remediation.guard allows one caller; try again in "
				+ Math.max(1, retryAfter.toSeconds()) + " s");
		this.retryAfter = retryAfter;
	}

	private static String describe(Duration window) {
		return (window.toSeconds() % 60 == 0) ? window.toMinutes() + " minutes" : window.toSeconds() + " seconds";
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
