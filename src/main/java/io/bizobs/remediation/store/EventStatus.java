package io.bizobs.remediation.store;

/**
 * What became of the Dynatrace event of a change, as the API and the audit report it.
 */
public enum EventStatus {

	/** Dynatrace accepted the event. */
	DELIVERED,

	/** Not yet delivered; it is retried until it is. */
	PENDING,

	/** Dynatrace refused the event for good. */
	FAILED,

	/** No Dynatrace environment is configured, so no event is sent. */
	DISABLED,

	/** The request changed nothing, so there is nothing to send. */
	NONE

}
