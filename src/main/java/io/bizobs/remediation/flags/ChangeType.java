package io.bizobs.remediation.flags;

/**
 * The kind of a change, as recorded in the audit and sent as {@code remediation.type}.
 */
public enum ChangeType {

	FEATURE_FLAG_TOGGLE("feature_flag_toggle"),

	BULK_FEATURE_FLAG_TOGGLE("bulk_feature_flag_toggle");

	private final String remediationType;

	ChangeType(String remediationType) {
		this.remediationType = remediationType;
	}

	public String remediationType() {
		return this.remediationType;
	}

}
