package io.bizobs.remediation.remediation;

import io.bizobs.remediation.web.ChangeRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/remediation/runbooks/{name}/runs}.
 *
 * @param problemId the Dynatrace problem the run answers; one run per runbook and problem
 * @param reason why
 * @param triggeredBy what triggered it, {@code manual} when absent
 * @param dryRun answer what a start would do without starting anything
 */
record StartRunRequest(
		@NotBlank @Size(max = 200) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String problemId, @Size(max = 1000) String reason,
		@Size(max = 200) String triggeredBy, Boolean dryRun) implements ChangeRequest {
}
