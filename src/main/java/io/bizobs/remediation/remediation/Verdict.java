package io.bizobs.remediation.remediation;

/**
 * What a guard concluded about its change.
 */
public enum Verdict {

	/** The evidence says it healed: good samples in a row after the settling time. */
	VERIFIED,

	/** The deadline passed with evidence, and it had not healed. */
	NO_EFFECT,

	/** The journeys' error rate rose above the baseline by the margin, in samples in a row. */
	WORSENED,

	/** The deadline passed without evidence: too few journeys, or Dynatrace unreachable or refusing. */
	INCONCLUSIVE,

	/** A later change of one of its flags took over before a verdict; that change is never fought. */
	SUPERSEDED,

	/** A person stopped the runbook's run it belonged to; nothing more was done. */
	STOPPED

}
