package io.bizobs.remediation.flags.api;

import io.bizobs.remediation.remediation.GuardSpec;
import io.bizobs.remediation.web.ChangeRequest;

/**
 * What single and bulk flag changes add.
 */
interface FlagValuesRequest extends ChangeRequest {

	Long revertAfterSeconds();

	GuardSpec guard();

	Boolean dryRun();

	Object dtEnvironment();

	Object dtToken();

}
