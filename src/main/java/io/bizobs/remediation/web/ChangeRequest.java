package io.bizobs.remediation.web;

/**
 * What single and bulk change requests share.
 */
interface ChangeRequest {

	String reason();

	String problemId();

	String triggeredBy();

	Long revertAfterSeconds();

	Boolean dryRun();

	Object dtEnvironment();

	Object dtToken();

}
