package io.bizobs.remediation.remediation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeRateExceededException;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.flags.InvalidFlagChangeException;
import io.bizobs.remediation.remediation.RunbookProperties.OnNoEffect;
import io.bizobs.remediation.remediation.RunbookProperties.Runbook;
import io.bizobs.remediation.remediation.RunbookProperties.Step;
import io.bizobs.remediation.store.GuardRow;
import io.bizobs.remediation.store.GuardStore;
import io.bizobs.remediation.store.RunRow;
import io.bizobs.remediation.store.RunStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Moves runbooks' runs on, on the leading replica: applies a run's step as a guarded change, waits
 * for its guard's verdict, and then ends the run verified, goes to the next step, or escalates to
 * people. Everything a run knows is in its rows and its steps' guards, so a restart or a leader
 * move resumes it where it was; a step is recorded in the transaction of its change, and every move
 * is conditional on the run's state and step, so each step is applied once, whoever tries.
 */
@Component
class RunDriver implements Background.LoopOwner {

	private static final Logger logger = LoggerFactory.getLogger(RunDriver.class);

	/** Who escalations and restores are recorded as, in the audit. */
	static final String RUNBOOK = "runbook";

	private final Runbooks runbooks;

	private final RunStore runs;

	private final GuardStore guards;

	private final Guards plans;

	private final GuardWatcher watcher;

	private final FeatureFlagService flags;

	private final Leadership leadership;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Map<String, Counter> ended = new ConcurrentHashMap<>();

	private final Background.Loop loop;

	RunDriver(Runbooks runbooks, RunStore runs, GuardStore guards, Guards plans, GuardWatcher watcher,
			FeatureFlagService flags, Leadership leadership, Clock clock, GuardProperties properties,
			MeterRegistry meters, Background background) {
		this.runbooks = runbooks;
		this.runs = runs;
		this.guards = guards;
		this.plans = plans;
		this.watcher = watcher;
		this.flags = flags;
		this.leadership = leadership;
		this.clock = clock;
		this.meters = meters;
		this.loop = background.loop("runbooks", Duration.ofSeconds(15), () -> {
			driveAll();
			return properties.sampleInterval();
		});
	}

	@EventListener
	void onRunStarted(Runbooks.RunStarted started) {
		this.loop.wake();
	}

	@EventListener
	void onGuardConcluded(GuardWatcher.Concluded concluded) {
		this.loop.wake();
	}

	/** Moves every open run on as far as it goes now, on the leader only. */
	void driveAll() {
		if (!this.leadership.isLeader()) {
			return;
		}
		for (RunRow run : this.runs.open()) {
			try {
				drive(run);
			}
			catch (RuntimeException ex) {
				logger.warn("[Runbook] Moving run {} of {} on failed; trying again at the next sample", run.id(),
						run.runbook(), ex);
			}
		}
	}

	private void drive(RunRow run) {
		Runbook runbook = this.runbooks.all().get(run.runbook());
		if (runbook == null) {
			String gone = "runbook '" + run.runbook() + "' is no longer configured";
			if (RunRow.RUNNING.equals(run.state())) {
				escalate(run, null, gone);
			}
			else {
				this.runs.restored(run.id(), now(), "not restored: " + gone);
			}
			return;
		}
		// A step that changed nothing leads straight to the next, so a run may take several moves at once.
		RunRow current = run;
		for (int moves = 0; moves <= runbook.steps().size() && current != null; moves++) {
			if (!move(current, runbook)) {
				return;
			}
			current = this.runs.find(run.id()).orElse(null);
		}
	}

	/** @return whether the run moved, and may move again at once */
	private boolean move(RunRow run, Runbook runbook) {
		if (RunRow.VERIFIED.equals(run.state())) {
			restore(run, runbook);
			return false;
		}
		if (!RunRow.RUNNING.equals(run.state())) {
			return false;
		}
		Optional<RunRow.Step> applied = run.applied(run.step());
		if (applied.isEmpty()) {
			return apply(run, runbook);
		}
		if (applied.get().guardId() == null) {
			return next(run, runbook, step(run, runbook) + " changed nothing: its flags were so already");
		}
		GuardRow guard = this.guards.find(applied.get().guardId()).orElseThrow();
		if (guard.outcome().verdict() == null) {
			return false;
		}
		String summary = summary(guard);
		return switch (Verdict.valueOf(guard.outcome().verdict())) {
			case VERIFIED -> end(run, "VERIFIED", step(run, runbook) + " healed: " + summary);
			case NO_EFFECT, INCONCLUSIVE -> next(run, runbook, step(run, runbook) + ": " + summary);
			case WORSENED -> escalate(run, runbook, step(run, runbook) + " made things worse: " + summary);
			case SUPERSEDED -> end(run, "SUPERSEDED", step(run, runbook) + " was superseded: "
					+ guard.outcome().action());
			// Only a step that shares another run's guard sees it stopped: that run was stopped, this one goes on.
			case STOPPED -> next(run, runbook, step(run, runbook) + ": the run whose change it shared was stopped");
		};
	}

	/** Applies the run's step as a guarded change, recording the step in the change's transaction. */
	private boolean apply(RunRow run, Runbook runbook) {
		int index = run.step();
		Step step = runbook.steps().get(index);
		Map<String, Object> values = Runbooks.values(step);
		ChangeContext context = new ChangeContext(ChangeContext.cut(stepName(run, runbook) + ((run.who().reason() != null)
				? ": " + run.who().reason() : ""), 1000), run.who().problemId(), run.who().triggeredBy(),
				run.who().caller(), null);
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("runbook.name", run.runbook());
		labels.put("runbook.run.id", run.id());
		labels.put("runbook.step", (index + 1) + " " + step.name());
		try {
			Guards.Plan plan = this.plans.plan(step.guard(), context, null, labels);
			return this.flags.inOneTransaction((current) -> {
				if (!this.runs.startStep(run.id(), index, step.name(), now())) {
					return false;
				}
				this.flags.change(new FlagChangeCommand(values,
						(values.size() == 1) ? ChangeType.FEATURE_FLAG_TOGGLE : ChangeType.BULK_FEATURE_FLAG_TOGGLE,
						context, false, null, null, plan));
				this.runs.stepGuard(run.id(), index, (plan.storedId() != null) ? plan.storedId() : joined(values));
				logger.info("[Runbook] Run {} of {} for problem {}: applied {}", run.id(), run.runbook(),
						run.who().problemId(), stepName(run, runbook));
				return true;
			});
		}
		catch (ChangeRateExceededException | InvalidFlagChangeException | ErrorResponseException ex) {
			String why = (ex instanceof ErrorResponseException error) ? error.getBody().getDetail() : ex.getMessage();
			return escalate(run, runbook, step(run, runbook) + " could not be applied: " + why);
		}
	}

	/**
	 * The guard still judging the flags of a step that changed nothing, which then judges the step too:
	 * another run (one detector's problem per customer, say) made the same change a moment ago, and
	 * moving on to the next step before that change's verdict would take the stronger remedy for
	 * nothing. Without one, the flags were so before anyone asked, and the step cannot help.
	 */
	private String joined(Map<String, Object> values) {
		return values.keySet()
			.stream()
			.map(this.guards::watching)
			.flatMap(Optional::stream)
			.map(GuardRow::id)
			.findFirst()
			.orElse(null);
	}

	/** The next step after one that did not heal, if the step's policy and the ladder allow; else people. */
	private boolean next(RunRow run, Runbook runbook, String what) {
		Step step = runbook.steps().get(run.step());
		if (step.onNoEffect() == OnNoEffect.STOP) {
			return escalate(run, runbook, what + "; the step says to stop there");
		}
		if (run.step() + 1 >= runbook.steps().size()) {
			return escalate(run, runbook, what + "; that was the last step");
		}
		return this.runs.advance(run.id(), run.step());
	}

	private boolean end(RunRow run, String state, String outcome) {
		if (this.runs.end(run.id(), state, now(), outcome, null)) {
			count(run, state);
			logger.info("[Runbook] Run {} of {} for problem {} ended {}: {}", run.id(), run.runbook(),
					run.who().problemId(), state, outcome);
		}
		return false;
	}

	/**
	 * Ends the run escalated: an alerting event and a comment on the problem, listing every step
	 * tried and its evidence, recorded with the run's end in one transaction, so both go out once.
	 */
	private boolean escalate(RunRow run, Runbook runbook, String why) {
		String summary = ChangeContext.cut("Runbook " + run.runbook() + " ran out of remedies for problem " + run.who().problemId()
				+ ": " + why + ". Steps tried: " + tried(run, runbook) + ". People are needed.", 1500);
		try {
			this.flags.inOneTransaction((current) -> {
				String auditId = this.runbooks.recordRun(run, current, ChangeType.RUNBOOK_ESCALATION,
						new ChangeContext(ChangeContext.cut(summary, 1000), run.who().problemId(), RUNBOOK, RUNBOOK, null),
						"ESCALATED", summary, true);
				if (!this.runs.end(run.id(), "ESCALATED", now(), summary, auditId)) {
					throw new AlreadyDone();
				}
				return null;
			});
			count(run, "ESCALATED");
			logger.warn("[Runbook] {}", summary);
		}
		catch (AlreadyDone ex) {
			logger.debug("[Runbook] Run {} was ended elsewhere", run.id());
		}
		return false;
	}

	/** Every step applied, with its verdict and evidence, in words. */
	private String tried(RunRow run, Runbook runbook) {
		if (run.steps().isEmpty()) {
			return "none";
		}
		List<String> tried = new ArrayList<>();
		for (RunRow.Step step : run.steps()) {
			Optional<GuardRow> guard = Optional.ofNullable(step.guardId()).flatMap(this.guards::find);
			String values = (runbook != null && step.step() < runbook.steps().size()) ? " ("
					+ runbook.steps().get(step.step()).flags().entrySet().stream()
						.map((entry) -> entry.getKey() + "=" + entry.getValue())
						.collect(Collectors.joining(", ")) + ")" : "";
			tried.add((step.step() + 1) + ". " + step.name() + values + ": " + guard
				.map((row) -> (row.outcome().verdict() != null) ? row.outcome().verdict() + ", " + summary(row)
						: "no verdict yet")
				.orElse("changed nothing, its flags were so already"));
		}
		return String.join("; ", tried);
	}

	/**
	 * Puts a verified run's changes back once its problem has stayed closed: every flag its steps
	 * changed goes back to its value before the run, unless someone changed it since.
	 */
	private void restore(RunRow run, Runbook runbook) {
		if (!runbook.restore()) {
			this.runs.restored(run.id(), now(), "kept: the runbook does not restore");
			return;
		}
		Optional<GuardRow> verified = run.applied(run.step()).map(RunRow.Step::guardId).flatMap(this.guards::find);
		if (verified.isEmpty() || !this.watcher.stayedHealed(verified.get(), now())) {
			return;
		}
		// The earliest step's previous value is the value before the run; the latest step's audit entry its last change.
		Map<String, Object> before = new LinkedHashMap<>();
		Map<String, String> lastChange = new LinkedHashMap<>();
		for (RunRow.Step step : run.steps()) {
			Optional.ofNullable(step.guardId()).flatMap(this.guards::find).ifPresent((guard) -> {
				for (GuardRow.GuardedFlag flag : guard.flags()) {
					before.putIfAbsent(flag.flag(),
							this.flags.validate(flag.flag(), FlagValues.fromLiteral(flag.previousValue())));
					lastChange.put(flag.flag(), flag.auditId());
				}
			});
		}
		Instant now = now();
		try {
			this.flags.inOneTransaction((current) -> {
				Map<String, Object> restore = new LinkedHashMap<>();
				List<String> changedSince = new ArrayList<>();
				before.forEach((flag, value) -> {
					if (lastChange.get(flag).equals(auditId(current, flag))) {
						restore.put(flag, value);
					}
					else {
						changedSince.add(flag);
					}
				});
				if (!restore.isEmpty()) {
					this.flags.change(FlagChangeCommand.of(restore, ChangeType.GUARD_REVERT,
							new ChangeContext(ChangeContext.cut("Runbook " + run.runbook() + " healed problem " + run.who().problemId()
									+ ", which has stayed closed: restoring what the run changed", 1000),
									run.who().problemId(), RUNBOOK, RUNBOOK, null)));
				}
				List<String> said = new ArrayList<>();
				if (!restore.isEmpty()) {
					said.add("restored " + restore.entrySet().stream()
						.map((entry) -> entry.getKey() + "=" + FlagValues.literal(entry.getValue()))
						.collect(Collectors.joining(", ")));
				}
				if (!changedSince.isEmpty()) {
					said.add("left " + String.join(", ", changedSince) + ": changed since by someone else");
				}
				if (said.isEmpty()) {
					said.add("nothing to restore");
				}
				if (!this.runs.restored(run.id(), now, String.join("; ", said) + ", the problem having stayed closed")) {
					throw new AlreadyDone();
				}
				logger.info("[Runbook] Run {} of {}: {}", run.id(), run.runbook(), String.join("; ", said));
				return null;
			});
		}
		catch (AlreadyDone ex) {
			logger.debug("[Runbook] Run {} was restored elsewhere", run.id());
		}
	}

	private static String auditId(FlagSnapshot flags, String flag) {
		FlagState state = flags.states().get(flag);
		return (state != null && state.lastChange() != null) ? state.lastChange().auditId() : null;
	}

	/** A verdict's summary, as a clause: the run's own words follow it. */
	private String summary(GuardRow guard) {
		String evidence = guard.outcome().evidence();
		String summary = (evidence != null) ? this.plans.read(evidence, GuardView.Judgement.class).summary()
				: String.valueOf(guard.outcome().action());
		return summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
	}

	/** The run's step in words, within the run's own outcome: "step 2 of 2 (defensive-mode)". */
	private static String step(RunRow run, Runbook runbook) {
		return "step " + (run.step() + 1) + " of " + runbook.steps().size() + " (" + runbook.steps().get(run.step()).name()
				+ ")";
	}

	/** The run's step in words, on its own, as a change's reason: "Runbook error-rate, step 1 of 2 (…)". */
	private static String stepName(RunRow run, Runbook runbook) {
		return "Runbook " + run.runbook() + ", " + step(run, runbook);
	}

	private void count(RunRow run, String state) {
		this.ended.computeIfAbsent(run.runbook() + "/" + state, (key) -> Counter.builder("bizobs.runbooks.runs.ended")
			.description("Runbooks' runs by how they ended")
			.tag("runbook", run.runbook())
			.tag("state", state.toUpperCase(Locale.ROOT))
			.register(this.meters)).increment();
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	@Override
	public Background.Loop loop() {
		return this.loop;
	}

}
