package io.bizobs.remediation.simulator;

import io.bizobs.remediation.web.ChangeRequest;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/journey-simulation/scenarios/{name}}, optional.
 *
 * @param reason why, added to the scenario's own words in the audit
 * @param problemId a Dynatrace problem it belongs to
 * @param triggeredBy what triggered it, {@code scenario} when absent
 * @param dryRun answer what it would change without changing anything
 */
record ScenarioRequest(@Size(max = 900) String reason, @Size(max = 200) String problemId,
		@Size(max = 200) String triggeredBy, Boolean dryRun) implements ChangeRequest {

	static final ScenarioRequest NONE = new ScenarioRequest(null, null, null, null);

	ScenarioRequest {
		triggeredBy = (triggeredBy != null && !triggeredBy.isBlank()) ? triggeredBy : "scenario";
	}

}
