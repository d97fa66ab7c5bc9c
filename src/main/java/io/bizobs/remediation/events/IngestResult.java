package io.bizobs.remediation.events;

import java.time.Duration;

/**
 * What became of one attempt to post an event.
 */
sealed interface IngestResult {

	/** A message for logs and the audit, naming the HTTP status when there was one. */
	String message();

	/**
	 * Dynatrace accepted the event.
	 *
	 * @param message the status line
	 * @param correlationId Dynatrace's id for the event
	 */
	record Delivered(String message, String correlationId) implements IngestResult {
	}

	/**
	 * Dynatrace refused the event, and would refuse it again.
	 *
	 * @param message the status and Dynatrace's reason
	 */
	record Refused(String message) implements IngestResult {
	}

	/**
	 * Dynatrace could not take the event now: worth retrying.
	 *
	 * @param message the status, or what went wrong with the connection
	 * @param retryAfter how long Dynatrace asked to wait, or {@code null}
	 */
	record Unavailable(String message, Duration retryAfter) implements IngestResult {
	}

}
