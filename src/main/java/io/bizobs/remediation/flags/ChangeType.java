package io.bizobs.remediation.flags;

/**
 * The kind of a change, as recorded in the audit and sent as {@code remediation.type}.
 */
public enum ChangeType {

	FEATURE_FLAG_TOGGLE("feature_flag_toggle"),

	BULK_FEATURE_FLAG_TOGGLE("bulk_feature_flag_toggle"),

	/** A flag going back to its value before a change made with {@code revertAfterSeconds}. */
	AUTO_REVERT("auto_revert"),

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

}
