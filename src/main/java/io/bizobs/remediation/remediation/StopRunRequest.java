package io.bizobs.remediation.remediation;

import io.bizobs.remediation.web.ChangeRequest;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/remediation/runs/{id}/stop}; may be left out.
 *
 * @param reason why the run is stopped
 */
record StopRunRequest(@Size(max = 1000) String reason) implements ChangeRequest {

	@Override
	public String problemId() {
		return null;
	}

	@Override
	public String triggeredBy() {
		return "manual";
	}

}
