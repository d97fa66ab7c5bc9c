package io.bizobs.remediation.flags.api;

import java.util.Map;

import io.bizobs.remediation.remediation.GuardSpec;
import io.bizobs.remediation.web.ExactNumbers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Body of {@code POST /api/remediation/feature-flags/bulk}, applied all or nothing.
 *
 * @param flags the new values by exact flag name
 * @param reason why
 * @param problemId the Dynatrace problem this answers
 * @param triggeredBy what triggered it, {@code manual} when absent
 * @param revertAfterSeconds put the changed flags back to their previous values after this many seconds
 * @param dryRun validate and answer without changing anything
 * @param guard what the change expects and by when: the service watches it and gives a verdict
 * @param skipHeld leave alone the flags a runbook's run or a guard holds now, and change the others
 * @param dtEnvironment the earlier app's field; ignored, events only go to the configured environment
 * @param dtToken the earlier app's field; ignored and never used
 */
record BulkFlagChangeRequest(@NotEmpty @JsonDeserialize(contentUsing = ExactNumbers.class) Map<String, Object> flags, @Size(max = 1000) String reason,
		@Size(max = 200) String problemId, @Size(max = 200) String triggeredBy, @Min(1) @Max(604_800) Long revertAfterSeconds,
		Boolean dryRun, @Valid GuardSpec guard, Boolean skipHeld, Object dtEnvironment, Object dtToken) implements FlagValuesRequest {
}
