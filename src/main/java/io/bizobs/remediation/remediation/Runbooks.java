package io.bizobs.remediation.remediation;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.remediation.RunbookProperties.Runbook;
import io.bizobs.remediation.remediation.RunbookProperties.Step;
import io.bizobs.remediation.store.ChangeRecord;
import io.bizobs.remediation.store.GuardRow;
import io.bizobs.remediation.store.GuardStore;
import io.bizobs.remediation.store.RunRow;
import io.bizobs.remediation.store.RunStore;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Runbooks: named ladders of guarded steps, the shipped ones ({@link #SHIPPED}) and those in
 * configuration; and their runs, one per runbook and problem, started here and moved on by the
 * leader's {@link RunDriver}.
 */
@Service
public class Runbooks {

	/**
	 * The guard of the shipped runbooks' steps, and of a configured step that names none: the
	 * problem must close (where Dynatrace is configured) and the journeys' error rate fall below
	 * 5 %, two samples in a row, within 10 minutes. The detectors close a problem after five clean
	 * one-minute samples, so a fix that works is verified within about seven minutes and one that
	 * does not leads to the next step after ten; once verified, the run's changes are put back when
	 * the problem has stayed closed for ten minutes, so the demo's faults come back without the loop
	 * flapping.
	 */
	static final GuardSpec GUARD = new GuardSpec(null, new BigDecimal("0.05"), null, 60L, 600L, 2, null, null, null,
			null, null, null, 600L);

	/** The guide's cases. */
	static final Map<String, Runbook> SHIPPED = shipped();

	private final Map<String, Runbook> runbooks;

	private final RunStore runs;

	private final GuardStore guards;

	private final Clock clock;

	private final ApplicationEventPublisher publisher;

	private final FeatureFlagService flags;

	private final RunLimits limits;

	Runbooks(RunbookProperties properties, RunLimits limits, FlagRegistry registry, RunStore runs, GuardStore guards,
			Clock clock, ApplicationEventPublisher publisher, FeatureFlagService flags) {
		this.flags = flags;
		this.limits = limits;
		Map<String, Runbook> runbooks = new LinkedHashMap<>(SHIPPED);
		runbooks.putAll(properties.runbooks());
		runbooks.forEach((name, runbook) -> check(name, runbook, registry));
		this.runbooks = Collections.unmodifiableMap(runbooks);
		this.runs = runs;
		this.guards = guards;
		this.clock = clock;
		this.publisher = publisher;
	}

	private static Map<String, Runbook> shipped() {
		Step errorsOff = new Step("error-injection-off", Map.of("errorInjectionEnabled", "false"), null, null);
		Map<String, String> defensive = new LinkedHashMap<>();
		defensive.put("errorInjectionEnabled", "false");
		defensive.put("slowResponsesEnabled", "false");
		defensive.put("circuitBreakerEnabled", "true");
		Step defensiveMode = new Step("defensive-mode", defensive, null, null);
		Map<String, Runbook> shipped = new LinkedHashMap<>();
		shipped.put("error-rate", new Runbook("The journeys' error rate is too high: error injection off, then "
				+ "defensive mode, then people", List.of(errorsOff, defensiveMode), null));
		shipped.put("services-failing", new Runbook("Several step services are failing: defensive mode, then people",
				List.of(defensiveMode), null));
		shipped.put("slow-journeys", new Runbook("Journeys are slow: slow responses off, then the cache on, then people",
				List.of(new Step("slow-responses-off", Map.of("slowResponsesEnabled", "false"), null, null),
						new Step("cache-on", Map.of("cacheEnabled", "true"), null, null)),
				null));
		return Collections.unmodifiableMap(shipped);
	}

	/** A runbook the service cannot run stops it from starting, rather than fail at the problem. */
	private static void check(String name, Runbook runbook, FlagRegistry registry) {
		if (runbook.steps().isEmpty()) {
			throw new IllegalArgumentException("Runbook '" + name + "' has no steps");
		}
		Set<String> names = new LinkedHashSet<>();
		for (Step step : runbook.steps()) {
			if (step.name() == null || step.name().isBlank() || !names.add(step.name())) {
				throw new IllegalArgumentException("Every step of runbook '" + name + "' needs a name of its own");
			}
			if (step.flags().isEmpty()) {
				throw new IllegalArgumentException("Step '" + step.name() + "' of runbook '" + name + "' changes no flag");
			}
			registry.accept(values(step));
		}
	}

	/** A step's values in their flags' JSON types. */
	static Map<String, Object> values(Step step) {
		Map<String, Object> values = new LinkedHashMap<>();
		step.flags().forEach((flag, literal) -> values.put(flag, FlagValues.fromLiteral(literal.trim())));
		return values;
	}

	/** The runbooks by name. */
	public Map<String, Runbook> all() {
		return this.runbooks;
	}

	/**
	 * @throws ErrorResponseException 404 if there is no such runbook
	 */
	public Runbook get(String name) {
		Runbook runbook = this.runbooks.get(name);
		if (runbook == null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"No runbook '" + name + "'; there are " + String.join(", ", this.runbooks.keySet()));
			problem.setProperty("availableRunbooks", List.copyOf(this.runbooks.keySet()));
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		}
		return runbook;
	}

	/** Every flag a runbook's steps change. */
	static Set<String> flags(Runbook runbook) {
		Set<String> flags = new LinkedHashSet<>();
		runbook.steps().forEach((step) -> flags.addAll(step.flags().keySet()));
		return flags;
	}

	/**
	 * Starts a run of a runbook for a problem, or finds the one it has: a workflow that retries its
	 * call gets the same run.
	 * @return the run, and whether this call started it
	 */
	public Started start(String name, ChangeContext context) {
		get(name);
		Optional<RunRow> existing = this.runs.find(name, context.problemId());
		if (existing.isPresent()) {
			return new Started(view(existing.get()), false);
		}
		withinLimits(context.caller());
		RunRow run = new RunRow(UUID.randomUUID().toString(), name,
				new ChangeRecord.Who(context.reason(), context.problemId(), context.triggeredBy(), context.caller(), null),
				now(), RunRow.RUNNING, 0, null, null, null, null, null, List.of());
		boolean started = this.runs.insert(run);
		RunRow found = this.runs.find(name, context.problemId()).orElseThrow();
		if (started) {
			this.publisher.publishEvent(new RunStarted(found.id()));
		}
		return new Started(view(found), started);
	}

	/**
	 * Refuses a start past the limits with a 429: too many runs open, or too many started by this
	 * caller in the last minute. Counted in the store, so across replicas and restarts; a start racing
	 * another may pass the limit by the few that race.
	 */
	private void withinLimits(String caller) {
		Instant now = now();
		RunStore.Counts counts = this.runs.counts(caller, now.minus(Duration.ofMinutes(1)));
		String detail = null;
		if (counts.open() >= this.limits.maxOpen()) {
			detail = counts.open() + " runs are open, as many as remediation.runs.max-open allows: stop one, or wait "
					+ "until one ends";
		}
		else if (counts.started() >= this.limits.maxStartsPerMinute()) {
			detail = caller + " started " + counts.started() + " runs in the last minute, as many as "
					+ "remediation.runs.max-starts-per-minute allows";
		}
		if (detail != null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail);
			problem.setProperty("retryAfterSeconds", 60);
			ErrorResponseException refusal = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
			refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, "60");
			throw refusal;
		}
	}

	/**
	 * What a start would do, changing nothing: the run the problem has already, or the run that
	 * would start, with its first step checked as a dry-run change (a refusal by the loop guard
	 * included).
	 * @return the run, and the flags its first step would change
	 */
	public DryRun dryRun(String name, ChangeContext context) {
		Runbook runbook = get(name);
		Optional<RunRow> existing = this.runs.find(name, context.problemId());
		if (existing.isPresent()) {
			return new DryRun(view(existing.get()), List.of());
		}
		withinLimits(context.caller());
		Map<String, Object> values = values(runbook.steps().get(0));
		List<String> changes = this.flags
			.change(new FlagChangeCommand(values,
					(values.size() == 1) ? ChangeType.FEATURE_FLAG_TOGGLE : ChangeType.BULK_FEATURE_FLAG_TOGGLE,
					context, true, null, null, null))
			.changes()
			.stream()
			.filter(FlagChange::changed)
			.map(FlagChange::flag)
			.toList();
		RunRow wouldStart = new RunRow(null, name,
				new ChangeRecord.Who(context.reason(), context.problemId(), context.triggeredBy(), context.caller(), null),
				now(), "DRY_RUN", 0, null, null, null, null, null, List.of());
		return new DryRun(view(wouldStart), changes);
	}

	/**
	 * @param run the run the problem has, or the one that would start
	 * @param firstStepChanges the flags the first step would change now, for a run that would start
	 */
	public record DryRun(RunView run, List<String> firstStepChanges) {
	}

	/**
	 * Stops a run: a running one ends {@code STOPPED} and its step's guard stops watching, unless
	 * another run's step shares that guard and still waits for its verdict; a verified one waiting
	 * to put its changes back keeps them. The flags stay as they are.
	 * @throws ErrorResponseException 404 if there is no such run, 409 if it has nothing left to stop
	 */
	public RunView stop(String id, ChangeContext context) {
		this.runs.find(id).orElseThrow(() -> noRun(id));
		String by = "Stopped by " + context.caller() + ((context.reason() != null) ? ": " + context.reason() : "");
		boolean stopped = this.flags.inOneTransaction((current) -> {
			Instant now = now();
			// Read under the flags' lock, so a step the leader applies meanwhile is the one whose guard ends.
			RunRow run = this.runs.find(id).orElseThrow();
			if (this.runs.end(id, "STOPPED", now, by, null)) {
				run.applied(run.step())
					.map(RunRow.Step::guardId)
					.flatMap(this.guards::find)
					.filter((guard) -> ownGuard(run, guard) && !awaitedByAnotherRun(id, guard.id()))
					.ifPresent((guard) -> this.guards.end(guard.id(), Verdict.STOPPED.name(), now,
							"the run was stopped; the flags stay as they are"));
				recordStop(run, current, context, by + "; the flags stay as they are");
				return true;
			}
			if (this.runs.restored(id, now, "not restored: " + by)) {
				recordStop(run, current, context, by + "; what it changed is not restored");
				return true;
			}
			return false;
		});
		if (!stopped) {
			RunRow now = this.runs.find(id).orElseThrow();
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"Run " + id + " has ended " + now.state() + " and has nothing left to stop");
			problem.setProperty("state", now.state());
			throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
		}
		return view(this.runs.find(id).orElseThrow());
	}

	/** Records a stop in the audit, under the run's problem, with the stopping caller and their reason. */
	private void recordStop(RunRow run, FlagSnapshot current, ChangeContext context, String summary) {
		recordRun(run, current, ChangeType.RUNBOOK_STOP,
				new ChangeContext(context.reason(), run.who().problemId(), context.triggeredBy(), context.caller(),
						context.remoteAddress()),
				"STOPPED", "Run of " + run.runbook() + " for problem " + run.who().problemId() + " stopped by "
						+ context.caller() + ": " + summary,
				false);
	}

	/**
	 * Records an entry about a whole run (its escalation, its stop) in the audit, without changing
	 * a value, in the caller's transaction. It stands against the runbook's first flag, as a
	 * verdict does against its guard's first, or the first flag where the runbook is no longer
	 * configured.
	 * @return the audit entry's id
	 */
	String recordRun(RunRow run, FlagSnapshot current, ChangeType type, ChangeContext context, String state,
			String summary, boolean commentOnProblem) {
		Runbook runbook = this.runbooks.get(run.runbook());
		String flag = (runbook != null) ? flags(runbook).iterator().next() : current.states().keySet().iterator().next();
		Object value = current.value(flag);
		Map<String, String> details = new LinkedHashMap<>();
		details.put("runbook.name", run.runbook());
		details.put("runbook.run.id", run.id());
		details.put("runbook.state", state);
		details.put("runbook.steps.tried", Integer.toString(run.steps().size()));
		details.put("runbook.summary", ChangeContext.cut(summary, 1500));
		return this.flags.record(new FeatureFlagService.Recorded(flag, value, value, type, context, details, false,
				commentOnProblem));
	}

	/** Whether the guard is of the run's own change, rather than one its step shares with another run. */
	private static boolean ownGuard(RunRow run, GuardRow guard) {
		return guard.labels() != null && guard.labels().contains(run.id());
	}

	private boolean awaitedByAnotherRun(String runId, String guardId) {
		return this.runs.open()
			.stream()
			.filter((other) -> !other.id().equals(runId) && RunRow.RUNNING.equals(other.state()))
			.anyMatch((other) -> other.applied(other.step()).map(RunRow.Step::guardId).filter(guardId::equals).isPresent());
	}

	static ErrorResponseException noRun(String id) {
		return new ErrorResponseException(HttpStatus.NOT_FOUND,
				ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No run " + id), null);
	}

	/**
	 * @param run the run as it is
	 * @param started whether this call started it, rather than found it
	 */
	public record Started(RunView run, boolean started) {
	}

	/** Published once a run is stored, so the leader's driver applies its first step at once. */
	record RunStarted(String runId) {
	}

	public Optional<RunView> find(String id) {
		return this.runs.find(id).map(this::view);
	}

	public List<RunView> list(String problemId, String state, boolean openOnly, int limit) {
		return this.runs.recent(problemId, state, openOnly, limit).stream().map(this::view).toList();
	}

	/** The run, with each step's guard as it is now. */
	RunView view(RunRow run) {
		Runbook runbook = this.runbooks.get(run.runbook());
		List<RunView.Step> steps = new ArrayList<>();
		int count = (runbook != null) ? runbook.steps().size() : run.steps().size();
		for (int i = 0; i < count; i++) {
			int index = i;
			Step definition = (runbook != null) ? runbook.steps().get(i) : null;
			Optional<RunRow.Step> applied = run.steps().stream().filter((step) -> step.step() == index).findFirst();
			Optional<GuardRow> guard = applied.map(RunRow.Step::guardId).flatMap(this.guards::find);
			steps.add(new RunView.Step(i + 1, (definition != null) ? definition.name() : applied.get().name(),
					(definition != null) ? values(definition) : Map.of(), applied.map(RunRow.Step::startedAt).orElse(null),
					guard.map((row) -> row.id()).orElse(null), guard.map((row) -> row.progress().state()).orElse(null),
					guard.map((row) -> row.outcome().verdict()).orElse(null),
					guard.map((row) -> row.deadline()).orElse(null), guard.map((row) -> row.outcome().action()).orElse(null),
					note(run, applied, guard)));
		}
		return new RunView(run.id(), run.runbook(), run.who().problemId(), run.who().reason(), run.who().triggeredBy(),
				run.who().caller(), run.createdAt(), run.state(), run.step() + 1, count, run.endedAt(), run.outcome(),
				run.endedAuditId(), run.restoredAt(), run.restored(), steps);
	}

	/** What a step's verdict alone does not say: that it changed nothing, or shares another run's guard. */
	private String note(RunRow run, Optional<RunRow.Step> applied, Optional<GuardRow> guard) {
		if (applied.isPresent() && applied.get().guardId() == null) {
			return "changed nothing: the flags were so already";
		}
		return (guard.isPresent() && !ownGuard(run, guard.get()))
				? "changed nothing: the flags were so already, and the guard of the change that set them judges this step too"
				: null;
	}

	/**
	 * Every flag held now, which a restore must leave alone: watched by a guard that has not ended,
	 * changed or still to be changed by a running run, or changed by a verified run that will put
	 * it back once its problem has stayed closed.
	 */
	public Set<String> held() {
		Set<String> held = new LinkedHashSet<>();
		this.guards.recent(1000, true).forEach((guard) -> guard.flags().forEach((flag) -> held.add(flag.flag())));
		for (RunRow run : this.runs.open()) {
			Runbook runbook = this.runbooks.get(run.runbook());
			if (runbook != null) {
				held.addAll(flags(runbook));
			}
		}
		return held;
	}

	/** The flags of the given ones that are not held now. */
	public Collection<String> notHeld(Collection<String> flags) {
		Set<String> held = held();
		return flags.stream().filter((flag) -> !held.contains(flag)).toList();
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
