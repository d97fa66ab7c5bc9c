package io.bizobs.remediation.remediation;

/**
 * What a guard does with a change after its verdict.
 */
public enum Policy {

	/** The change stays. */
	KEEP,

	/**
	 * The change is undone, flag by flag, except where undoing it would turn a fault back on
	 * while the problem it answered is open: those flags stay.
	 */
	REVERT

}
