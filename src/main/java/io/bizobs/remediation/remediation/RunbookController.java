package io.bizobs.remediation.remediation;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.remediation.RunbookProperties.Runbook;
import io.bizobs.remediation.security.Callers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runbooks and their runs: what a Dynatrace workflow starts for a problem, and what operators
 * follow and stop.
 */
@RestController
@RequestMapping("/api/remediation")
@Tag(name = "Runbooks")
class RunbookController {

	private final Runbooks runbooks;

	RunbookController(Runbooks runbooks) {
		this.runbooks = runbooks;
	}

	@GetMapping("/runbooks")
	@Operation(summary = "The runbooks: each one's ladder of guarded steps")
	RunbooksResponse runbooks() {
		List<RunbookView> runbooks = this.runbooks.all()
			.entrySet()
			.stream()
			.map((entry) -> RunbookView.of(entry.getKey(), entry.getValue()))
			.toList();
		return new RunbooksResponse(true, runbooks.size(), runbooks);
	}

	@PostMapping(path = "/runbooks/{name}/runs", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Start a runbook for a problem",
			description = "202 and the run's Location; the same runbook and problem again: 200 and the same run. "
					+ "The leader applies the first step within a moment")
	@ApiResponse(responseCode = "202", description = "Started")
	@ApiResponse(responseCode = "200", description = "The problem has a run of this runbook already, or a dry run")
	@ApiResponse(responseCode = "400", description = "No problemId, or a field out of range",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "The key may not change every flag the runbook changes",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such runbook",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "A dry run whose first step the loop guard would refuse",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<RunResponse> start(@PathVariable String name, @Valid @RequestBody StartRunRequest body,
			HttpServletRequest request) {
		Runbook runbook = this.runbooks.get(name);
		ChangeContext context = Callers.changeContext(body, Runbooks.flags(runbook), request);
		if (Boolean.TRUE.equals(body.dryRun())) {
			Runbooks.DryRun dryRun = this.runbooks.dryRun(name, context);
			return ResponseEntity.ok(new RunResponse(true, false, true, dryRun.firstStepChanges(), dryRun.run()));
		}
		Runbooks.Started started = this.runbooks.start(name, context);
		RunResponse response = new RunResponse(true, started.started(), null, null, started.run());
		return ResponseEntity.status(started.started() ? HttpStatus.ACCEPTED : HttpStatus.OK)
			.location(URI.create("/api/remediation/runs/" + started.run().id()))
			.body(response);
	}

	@GetMapping("/runs/{id}")
	@Operation(summary = "One run: each step, its guard's verdict and evidence")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "404", description = "No such run",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	RunResponse run(@PathVariable String id) {
		return new RunResponse(true, null, null, null,
				this.runbooks.find(id).orElseThrow(() -> Runbooks.noRun(id)));
	}

	@GetMapping("/runs")
	@Operation(summary = "Runs, newest first",
			description = "Of one problem, in one state, or only the open ones (running, or verified and not yet restored)")
	RunsResponse runs(@RequestParam(required = false) @Size(max = 200) String problemId,
			@RequestParam(defaultValue = "false") boolean open,
			@RequestParam(required = false) @Pattern(regexp = "RUNNING|VERIFIED|ESCALATED|SUPERSEDED|STOPPED",
					message = "must be one of RUNNING, VERIFIED, ESCALATED, SUPERSEDED, STOPPED") String state,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		List<RunView> runs = this.runbooks.list(problemId, state, open, limit);
		return new RunsResponse(true, runs.size(), runs);
	}

	@PostMapping("/runs/{id}/stop")
	@Operation(summary = "Stop a run", description = "A running run ends STOPPED and its step's guard stops "
			+ "watching; a verified run keeps its changes instead of restoring them. The flags stay as they are")
	@ApiResponse(responseCode = "200")
	@ApiResponse(responseCode = "403", description = "The key may not change every flag the runbook changes",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such run",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "409", description = "The run has ended and has nothing left to stop",
			content = @Content(schema = @Schema(implementation = ProblemDetail.class)))
	RunResponse stop(@PathVariable String id, @Valid @RequestBody(required = false) StopRunRequest body,
			HttpServletRequest request) {
		RunView run = this.runbooks.find(id).orElseThrow(() -> Runbooks.noRun(id));
		Runbook runbook = this.runbooks.all().get(run.runbook());
		ChangeContext context = Callers.changeContext((body != null) ? body : new StopRunRequest(null),
				(runbook != null) ? Runbooks.flags(runbook) : List.of(), request);
		return new RunResponse(true, null, null, null, this.runbooks.stop(id, context));
	}

	/**
	 * A runbook as the API shows it.
	 *
	 * @param name its name, in {@code POST /api/remediation/runbooks/{name}/runs}
	 * @param description what kind of problem it answers
	 * @param steps its ladder
	 * @param restore whether a verified run puts its changes back once the problem stayed closed
	 */
	record RunbookView(String name, String description, List<StepView> steps, boolean restore) {

		static RunbookView of(String name, Runbook runbook) {
			List<StepView> steps = runbook.steps()
				.stream()
				.map((step) -> new StepView(step.name(), Runbooks.values(step), step.guard(), step.onNoEffect().name()))
				.toList();
			return new RunbookView(name, runbook.description(), steps, runbook.restore());
		}

	}

	/**
	 * @param name the step's name
	 * @param flags the values it sets
	 * @param guard what its change expects, as a request would ask; left-out fields take the
	 * {@code remediation.guards.*} defaults
	 * @param onNoEffect {@code NEXT} or {@code STOP}
	 */
	record StepView(String name, Map<String, Object> flags, GuardSpec guard, String onNoEffect) {
	}

	record RunbooksResponse(boolean ok, int count, List<RunbookView> runbooks) {
	}

	/**
	 * @param started whether this call started the run (a start only)
	 * @param dryRun whether this was a dry run
	 * @param firstStepChanges a dry run of a run that would start: the flags its first step would change
	 * @param run the run
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record RunResponse(boolean ok, Boolean started, Boolean dryRun, List<String> firstStepChanges, RunView run) {
	}

	record RunsResponse(boolean ok, int count, List<RunView> runs) {
	}

}
