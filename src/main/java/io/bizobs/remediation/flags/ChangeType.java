package io.bizobs.remediation.flags;

/**
 * The kind of a change, as recorded in the audit and sent as {@code remediation.type}.
 */
public enum ChangeType {

	FEATURE_FLAG_TOGGLE("feature_flag_toggle"),

	BULK_FEATURE_FLAG_TOGGLE("bulk_feature_flag_toggle"),

	/** A flag going back to its value before a change made with {@code revertAfterSeconds}. */
	AUTO_REVERT("auto_revert"),

	/**
	 * A guarded change undone by its guard's policy, after its verdict (or after it was verified,
	 * once its problem stayed closed).
	 */
	GUARD_REVERT("guard_revert"),

	/** A guard's verdict on a change, recorded without changing a value. */
	GUARD_VERDICT("guard_verdict"),

	/** A runbook's run that ran out of steps without healing its problem: people are needed. */
	RUNBOOK_ESCALATION("runbook_escalation"),

	/** A runbook's run stopped by a caller, recorded without changing a value: the flags stay. */
	RUNBOOK_STOP("runbook_stop"),

	/** The start or end of an error-rate ramp, recorded without changing a value. */
	ERROR_RATE_RAMP("error_rate_ramp"),

	/**
	 * One step of a running ramp: stored and served, but neither audited nor announced, since
	 * the ramp's start and end are.
	 */
	ERROR_RATE_RAMP_STEP(null);

	private final String remediationType;

	ChangeType(String remediationType) {
		this.remediationType = remediationType;
	}

	public String remediationType() {
		return this.remediationType;
	}

	/** Whether changes of this kind get audit entries and events. */
	public boolean audited() {
		return this.remediationType != null;
	}

	/**
	 * Whether this kind puts back a value that was meant to be temporary: the loop guard counts
	 * it but never holds it back, which would leave the temporary value in place.
	 */
	public boolean reverts() {
		return this == AUTO_REVERT || this == GUARD_REVERT;
	}

}
