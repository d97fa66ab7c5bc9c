package io.bizobs.remediation.web;

/**
 * What every request that changes something says about who and why.
 */
interface ChangeRequest {

	String reason();

	String problemId();

	String triggeredBy();

	/**
	 * What single and bulk flag changes add.
	 */
	interface FlagValues extends ChangeRequest {

		Long revertAfterSeconds();

		Boolean dryRun();

		Object dtEnvironment();

		Object dtToken();

	}

}
