package io.bizobs.remediation.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.security.Callers;
import io.bizobs.remediation.simulator.Scenarios.Scenario;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The guide's scenarios, replayable: each sets its flags as one audited change.
 */
@RestController
@Tag(name = "Journey simulator")
@RequestMapping("/api/journey-simulation/scenarios")
class ScenarioController {

	private final Scenarios scenarios;

	private final FeatureFlagService flags;

	ScenarioController(Scenarios scenarios, FeatureFlagService flags) {
		this.scenarios = scenarios;
		this.flags = flags;
	}

	@GetMapping
	@Operation(summary = "The scenarios: what each sets, and what to expect")
	ScenariosResponse scenarios() {
		List<ScenarioView> views = this.scenarios.all()
			.entrySet()
			.stream()
			.map((entry) -> new ScenarioView(entry.getKey(), entry.getValue().description(), entry.getValue().flags(),
					entry.getValue().expect()))
			.toList();
		return new ScenariosResponse(true, views.size(), views);
	}

	@PostMapping("/{name}")
	@Operation(summary = "Play a scenario: set its flags as one audited change",
			description = "Needs a key allowed every flag the scenario sets; the loop guard counts it like any change")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "403", description = "The key may not change every flag the scenario sets",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such scenario",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "Loop guard: a flag changed too often",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	PlayedResponse play(@PathVariable String name, @Valid @RequestBody(required = false) ScenarioRequest body,
			HttpServletRequest request) {
		Scenario scenario = this.scenarios.get(name);
		ScenarioRequest asked = (body != null) ? body : ScenarioRequest.NONE;
		ChangeContext caller = Callers.changeContext(asked, scenario.flags().keySet(), request);
		String reason = "Scenario " + name + ": " + ((asked.reason() != null && !asked.reason().isBlank())
				? asked.reason() : scenario.description());
		ChangeContext context = new ChangeContext(reason, caller.problemId(), caller.triggeredBy(), caller.caller(),
				caller.remoteAddress());
		FlagChangeOutcome outcome = this.flags.change(new FlagChangeCommand(scenario.flags(),
				ChangeType.BULK_FEATURE_FLAG_TOGGLE, context, Boolean.TRUE.equals(asked.dryRun()), null, null, null));
		List<Change> changes = outcome.changes()
			.stream()
			.map((change) -> new Change(change.flag(), change.previousValue(), change.newValue(), change.changed()))
			.toList();
		return new PlayedResponse(true, name, reason, changes, outcome.version(), outcome.dryRun() ? true : null,
				scenario.expect(), outcome.timestamp());
	}

	record ScenariosResponse(boolean ok, int count, List<ScenarioView> scenarios) {
	}

	/**
	 * @param name its name, in {@code POST /api/journey-simulation/scenarios/{name}}
	 * @param description what it does
	 * @param flags the values it sets
	 * @param expect what to see afterwards, and how to end it
	 */
	record ScenarioView(String name, String description, Map<String, Object> flags, String expect) {
	}

	/**
	 * @param changes every flag the scenario sets, in its order
	 * @param version the flags' version the change made (one for all)
	 * @param expect what to see now, and how to end it
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record PlayedResponse(boolean ok, String scenario, String reason, List<Change> changes, long version,
			Boolean dryRun, String expect, Instant timestamp) {
	}

	record Change(String flag, Object previousValue, Object newValue, boolean changed) {
	}

}
