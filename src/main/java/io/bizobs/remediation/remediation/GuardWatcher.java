package io.bizobs.remediation.remediation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.events.ProblemStatus;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.simulator.JourneyStats;
import io.bizobs.remediation.store.GuardRow;
import io.bizobs.remediation.store.GuardStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Watches guarded changes on the leading replica: every {@code sample-interval} it looks at each
 * guard's evidence, and once the rules say so gives the verdict and acts on it. Everything a guard
 * knows is in its row, so a restart, a {@code kill -9} or a leader move resumes it where it was;
 * the verdict, its audit entry, its event and comment (through the outbox) and the revert its
 * policy asks for are written in one transaction that first checks the guard is still watching, so
 * each verdict is given once, whoever tries. A later change of a guarded flag by anyone else ends
 * the guard as superseded and is never fought.
 */
@Component
class GuardWatcher implements Background.LoopOwner {

	private static final Logger logger = LoggerFactory.getLogger(GuardWatcher.class);

	/** Who guards' verdicts and reverts are recorded as, in the audit and the loop guard. */
	static final String GUARD = "guard";

	private final GuardStore store;

	private final Guards guards;

	private final Evidence evidence;

	private final FeatureFlagService flags;

	private final FlagRegistry registry;

	private final Leadership leadership;

	private final Clock clock;

	private final Map<Verdict, Counter> verdicts = new EnumMap<>(Verdict.class);

	private final Background.Loop loop;

	private final ApplicationEventPublisher publisher;

	GuardWatcher(GuardStore store, Guards guards, Evidence evidence, FeatureFlagService flags, FlagRegistry registry,
			Leadership leadership, Clock clock, GuardProperties properties, MeterRegistry meters, Background background,
			ApplicationEventPublisher publisher) {
		this.store = store;
		this.publisher = publisher;
		this.guards = guards;
		this.evidence = evidence;
		this.flags = flags;
		this.registry = registry;
		this.leadership = leadership;
		this.clock = clock;
		for (Verdict verdict : Verdict.values()) {
			this.verdicts.put(verdict, Counter.builder("bizobs.guards.verdicts")
				.description("Verdicts of guarded changes")
				.tag("verdict", verdict.name())
				.register(meters));
		}
		this.loop = background.loop("guards", Duration.ofSeconds(15), () -> {
			sampleAll();
			return properties.sampleInterval();
		});
	}

	/** One look at every guard that has not ended, on the leader only. */
	void sampleAll() {
		if (!this.leadership.isLeader()) {
			return;
		}
		for (GuardRow guard : this.store.unfinished()) {
			try {
				sample(guard);
			}
			catch (RuntimeException ex) {
				logger.warn("[Guard] Watching guard {} failed; trying again at the next sample", guard.id(), ex);
			}
		}
	}

	private void sample(GuardRow guard) {
		Instant now = now();
		Expectation expectation = this.guards.read(guard.expectation(), Expectation.class);
		if (changedSince(guard, this.flags.snapshot()).isPresent() && superseded(guard, now)) {
			return;
		}
		if (GuardRow.HOLDING.equals(guard.progress().state())) {
			hold(guard, expectation, now);
			return;
		}
		Baseline baseline = this.guards.read(guard.baseline(), Baseline.class);
		Sample sample = look(expectation, baseline, guard.who().problemId(), now);
		boolean judging = !now.isBefore(guard.settleUntil());
		GuardRow.Progress before = guard.progress();
		GuardRow.Progress progress = new GuardRow.Progress(GuardRow.WATCHING, before.samples() + 1,
				before.samplesWithData() + (sample.hasData() ? 1 : 0),
				(judging && sample.good()) ? before.goodInARow() + 1 : 0,
				(judging && sample.worse()) ? before.worseInARow() + 1 : 0, this.guards.write(sample));
		Verdict verdict = judging ? judge(progress, sample, expectation, now, guard.deadline()) : null;
		if (verdict == null) {
			this.store.progress(guard.id(), progress);
			return;
		}
		conclude(guard, expectation, baseline, progress, sample, verdict, now);
	}

	/**
	 * Ends a guard whose flag someone changed since its change. Decided on the stored flags under
	 * their lock: the served ones may lag a change just committed, here or by another replica,
	 * and a guard must not take its own change for someone else's.
	 * @return whether the guard has ended
	 */
	private boolean superseded(GuardRow guard, Instant now) {
		try {
			Optional<String> changedBy = this.flags.inOneTransaction((current) -> {
				Optional<String> by = changedSince(guard, current);
				if (by.isPresent() && !this.store.end(guard.id(), Verdict.SUPERSEDED.name(), now, by.get())) {
					throw new AlreadyDone();
				}
				return by;
			});
			if (changedBy.isEmpty()) {
				return false;
			}
			this.verdicts.get(Verdict.SUPERSEDED).increment();
			logger.info("[Guard] Guard {} superseded: {}", guard.id(), changedBy.get());
			this.publisher.publishEvent(new Concluded(guard.id()));
		}
		catch (AlreadyDone ex) {
			logger.debug("[Guard] Guard {} was ended elsewhere", guard.id());
		}
		return true;
	}

	/** Who changed a guarded flag since its change, if anyone did. */
	private static Optional<String> changedSince(GuardRow guard, FlagSnapshot flags) {
		for (GuardRow.GuardedFlag flag : guard.flags()) {
			FlagState state = flags.states().get(flag.flag());
			FlagState.LastChange last = (state != null) ? state.lastChange() : null;
			if (last == null || !flag.auditId().equals(last.auditId())) {
				String by = (last != null) ? " by " + last.caller() + " (" + last.triggeredBy() + ") at " + last.at() : "";
				return Optional.of(flag.flag() + " was changed" + by + "; that change stays");
			}
		}
		return Optional.empty();
	}

	private static Verdict judge(GuardRow.Progress progress, Sample sample, Expectation expectation, Instant now,
			Instant deadline) {
		if (progress.goodInARow() >= expectation.samples()) {
			return Verdict.VERIFIED;
		}
		if (progress.worseInARow() >= expectation.worseSamples()) {
			return Verdict.WORSENED;
		}
		if (!now.isBefore(deadline)) {
			return sample.hasData() ? Verdict.NO_EFFECT : Verdict.INCONCLUSIVE;
		}
		return null;
	}

	/** Looks at the evidence the guard asks for, and at the error rate, which tells whether it got worse. */
	private Sample look(Expectation expectation, Baseline baseline, String problemId, Instant now) {
		JourneyStats.Figures journeys = this.evidence.journeys(expectation.customer());
		Double rate = (journeys.journeys() >= expectation.minJourneys()) ? journeys.errorRate() : null;
		boolean worse = rate != null && baseline.errorRate() != null
				&& rate > baseline.errorRate() + expectation.worseBy();
		boolean hasData = true;
		boolean good = true;
		List<String> unavailable = new ArrayList<>();
		if (expectation.errorRateBelow() != null) {
			if (rate == null) {
				hasData = false;
				unavailable.add(journeys.journeys() + " journeys in the window, fewer than " + expectation.minJourneys());
			}
			else {
				good = rate < expectation.errorRateBelow();
			}
		}
		String problemStatus = null;
		Instant problemEnd = null;
		if (expectation.problemClosed()) {
			ProblemStatus problem = this.evidence.problem(problemId);
			if (problem.known()) {
				problemStatus = problem.status();
				problemEnd = problem.endTime();
				good &= problem.closed();
			}
			else {
				hasData = false;
				unavailable.add("problem " + problemId + ": " + problem.unavailable());
			}
		}
		return new Sample(now, rate, journeys.journeys(), problemStatus, problemEnd,
				unavailable.isEmpty() ? null : String.join("; ", unavailable), hasData, hasData && good, worse);
	}

	/**
	 * Gives the verdict and acts on it, in one transaction that first checks the guard is still
	 * watching; a replica that finds it concluded already writes nothing.
	 */
	private void conclude(GuardRow guard, Expectation expectation, Baseline baseline, GuardRow.Progress progress,
			Sample sample, Verdict verdict, Instant now) {
		boolean holds = verdict == Verdict.VERIFIED && guard.revertAfterSeconds() != null;
		Instant revertAt = holds ? now.plusSeconds(guard.revertAfterSeconds()) : null;
		Map<String, Object> revert = new LinkedHashMap<>();
		List<String> keptAsFault = new ArrayList<>();
		if (expectation.policy(verdict) == Policy.REVERT) {
			boolean open = !healed(expectation, sample);
			FlagSnapshot current = this.flags.snapshot();
			for (GuardRow.GuardedFlag flag : guard.flags()) {
				Object previous = this.flags.validate(flag.flag(), FlagValues.fromLiteral(flag.previousValue()));
				Object value = current.value(flag.flag());
				boolean towardsFault = this.registry.find(flag.flag())
					.map((definition) -> definition.fault().towards(value, previous))
					.orElse(false);
				if (towardsFault && open) {
					keptAsFault.add(flag.flag());
				}
				else {
					revert.put(flag.flag(), previous);
				}
			}
		}
		try {
			this.flags.inOneTransaction((current) -> {
				boolean reverted = !revert.isEmpty() && this.flags
					.changeIf(FlagChangeCommand.undoing(guard.version(), revert, ChangeType.GUARD_REVERT,
								revertContext(guard, verdict)),
							asTheGuardLeftThem(guard))
					.isPresent();
				String action = action(verdict, reverted ? revert.keySet() : List.of(), keptAsFault, revertAt, expectation,
						guard);
				String summary = summary(verdict, guard, expectation, baseline, sample, progress, action);
				GuardView.Judgement judgement = new GuardView.Judgement(summary, baseline, sample, progress.samples(),
						progress.samplesWithData(), progress.goodInARow(), progress.worseInARow());
				GuardRow.GuardedFlag first = guard.flags().get(0);
				Object value = current.value(first.flag());
				String auditId = this.flags.record(new FeatureFlagService.Recorded(first.flag(), value, value,
						ChangeType.GUARD_VERDICT,
						new ChangeContext(ChangeContext.cut(summary, 1000), guard.who().problemId(), GUARD, GUARD, null),
						details(guard, verdict, action, summary, baseline, sample, labels(guard)), false, true));
				GuardRow.Progress concluded = new GuardRow.Progress(holds ? GuardRow.HOLDING : GuardRow.ENDED,
						progress.samples(), progress.samplesWithData(), progress.goodInARow(), progress.worseInARow(),
						progress.lastSample());
				if (!this.store.conclude(guard.id(), concluded, new GuardRow.Outcome(verdict.name(), now,
						this.guards.write(judgement), action, auditId, revertAt, null))) {
					throw new AlreadyDone();
				}
				logger.info("[Guard] {}", summary);
				return null;
			});
			this.verdicts.get(verdict).increment();
			this.publisher.publishEvent(new Concluded(guard.id()));
		}
		catch (AlreadyDone ex) {
			logger.debug("[Guard] Guard {} was concluded elsewhere", guard.id());
		}
	}

	/**
	 * A verified change waiting for its revert: made once the time has come and its problem has
	 * stayed closed (without a problem: the error rate is good) for {@code stayClosedSeconds}.
	 */
	private void hold(GuardRow guard, Expectation expectation, Instant now) {
		if (now.isBefore(guard.outcome().revertAt()) || !stayedHealed(guard, now)) {
			return;
		}
		Map<String, Object> revert = new LinkedHashMap<>();
		for (GuardRow.GuardedFlag flag : guard.flags()) {
			revert.put(flag.flag(), this.flags.validate(flag.flag(), FlagValues.fromLiteral(flag.previousValue())));
		}
		try {
			this.flags.inOneTransaction((current) -> {
				Optional<FlagChangeOutcome> reverted = this.flags.changeIf(
						FlagChangeCommand.undoing(guard.version(), revert, ChangeType.GUARD_REVERT,
								revertContext(guard, Verdict.VERIFIED)),
						asTheGuardLeftThem(guard));
				String action = guard.outcome().action() + "; " + (reverted.isPresent()
						? "reverted " + String.join(", ", revert.keySet()) + " at " + now + ", the problem having stayed "
								+ "closed " + expectation.stayClosedSeconds() + " s"
						: "not reverted: a flag was changed meanwhile");
				if (!this.store.end(guard.id(), null, now, action)) {
					throw new AlreadyDone();
				}
				logger.info("[Guard] Guard {}: {}", guard.id(), action);
				return null;
			});
		}
		catch (AlreadyDone ex) {
			logger.debug("[Guard] Guard {} was ended elsewhere", guard.id());
		}
	}

	/**
	 * Whether a verified change's problem has stayed closed (without a problem: the error rate is
	 * good, and has been since the verdict) for its {@code stayClosedSeconds}, so that undoing it
	 * cannot bring the problem straight back.
	 */
	boolean stayedHealed(GuardRow guard, Instant now) {
		Expectation expectation = this.guards.read(guard.expectation(), Expectation.class);
		Instant closedSince = now.minusSeconds(expectation.stayClosedSeconds());
		if (expectation.problemClosed()) {
			ProblemStatus problem = this.evidence.problem(guard.who().problemId());
			return problem.closed() && problem.endTime() != null && !problem.endTime().isAfter(closedSince);
		}
		return look(expectation, this.guards.read(guard.baseline(), Baseline.class), null, now).good()
				&& !guard.outcome().verdictAt().isAfter(closedSince);
	}

	/**
	 * Whether the evidence says the problem is over, so a revert may turn a fault back on: the
	 * problem is closed, or, for a guard without one, the error rate is below its threshold.
	 */
	private static boolean healed(Expectation expectation, Sample sample) {
		return expectation.problemClosed() ? "CLOSED".equals(sample.problemStatus()) : sample.good();
	}

	/** Each flag still has the value the guarded change set, as the change left it. */
	private static Predicate<FlagSnapshot> asTheGuardLeftThem(GuardRow guard) {
		return (current) -> changedSince(guard, current).isEmpty();
	}

	private static ChangeContext revertContext(GuardRow guard, Verdict verdict) {
		String reason = "Revert of guarded change after " + verdict.name().toLowerCase(Locale.ROOT).replace('_', ' ')
				+ ((guard.who().reason() != null) ? ": " + guard.who().reason() : "");
		return new ChangeContext(ChangeContext.cut(reason, 1000), guard.who().problemId(), GUARD, GUARD, null);
	}

	private static String action(Verdict verdict, Collection<String> reverted, List<String> keptAsFault,
			Instant revertAt, Expectation expectation, GuardRow guard) {
		List<String> parts = new ArrayList<>();
		if (!reverted.isEmpty()) {
			parts.add("reverted " + String.join(", ", reverted));
		}
		if (!keptAsFault.isEmpty()) {
			parts.add("kept " + String.join(", ", keptAsFault)
					+ ": reverting would turn a fault back on while the problem is open");
		}
		if (revertAt != null) {
			parts.add("kept; reverted not before " + revertAt + ", once "
					+ (expectation.problemClosed() ? "problem " + guard.who().problemId() : "the error rate")
					+ " has stayed good " + expectation.stayClosedSeconds() + " s");
		}
		if (parts.isEmpty()) {
			parts.add((verdict == Verdict.VERIFIED) ? "kept" : "kept, as its policy says");
		}
		return String.join("; ", parts);
	}

	private static String summary(Verdict verdict, GuardRow guard, Expectation expectation, Baseline baseline,
			Sample sample, GuardRow.Progress progress, String action) {
		String change = "the change of " + guard.flags()
			.stream()
			.map((flag) -> flag.flag() + " (" + flag.previousValue() + " → " + flag.newValue() + ")")
			.collect(Collectors.joining(", ")) + " at " + guard.createdAt();
		String evidence = evidenceInWords(expectation, baseline, sample);
		String what = switch (verdict) {
			case VERIFIED -> "Verified: " + change + " healed, " + progress.goodInARow() + " good samples in a row: "
					+ evidence;
			case NO_EFFECT -> "No effect: " + expectation.withinSeconds() + " s after " + change + " it had not healed: "
					+ evidence;
			case WORSENED -> "Worse: after " + change + " the journeys' error rate rose more than "
					+ expectation.worseBy() + " above its baseline, " + progress.worseInARow() + " samples in a row: "
					+ evidence;
			case INCONCLUSIVE -> "Inconclusive: by " + expectation.withinSeconds() + " s after " + change
					+ " the evidence could not be read: " + sample.unavailable();
			case SUPERSEDED, STOPPED -> verdict.name().charAt(0) + verdict.name().substring(1).toLowerCase(Locale.ROOT)
					+ ": " + change;
		};
		return what + ". " + Character.toUpperCase(action.charAt(0)) + action.substring(1) + ".";
	}

	private static String evidenceInWords(Expectation expectation, Baseline baseline, Sample sample) {
		List<String> parts = new ArrayList<>();
		if (expectation.problemClosed()) {
			parts.add((sample.problemStatus() != null) ? "problem " + sample.problemStatus()
					+ ((sample.problemEndTime() != null) ? " since " + sample.problemEndTime() : "")
					: "problem status unknown");
		}
		parts.add("the journeys' error rate "
				+ ((sample.errorRate() != null) ? rate(sample.errorRate()) + " of " + sample.journeys() + " journeys"
						: "unknown (" + sample.journeys() + " journeys)")
				+ ((baseline.errorRate() != null) ? ", baseline " + rate(baseline.errorRate()) : "")
				+ ((expectation.errorRateBelow() != null) ? ", expected below " + rate(expectation.errorRateBelow()) : ""));
		return String.join("; ", parts);
	}

	@SuppressWarnings("unchecked")
	private Map<String, String> labels(GuardRow guard) {
		return (guard.labels() != null) ? this.guards.read(guard.labels(), Map.class) : Map.of();
	}

	private static Map<String, String> details(GuardRow guard, Verdict verdict, String action, String summary,
			Baseline baseline, Sample sample, Map<String, String> labels) {
		Map<String, String> details = new LinkedHashMap<>(labels);
		details.put("guard.id", guard.id());
		details.put("remediation.verdict", verdict.name());
		details.put("guard.flags",
				guard.flags().stream().map(GuardRow.GuardedFlag::flag).collect(Collectors.joining(", ")));
		details.put("guarded.change.id", guard.flags().get(0).auditId());
		details.put("guarded.version", Long.toString(guard.version()));
		details.put("guard.action", ChangeContext.cut(action, 300));
		details.put("guard.summary", ChangeContext.cut(summary, 1200));
		if (baseline.errorRate() != null) {
			details.put("baseline.error.rate", rate(baseline.errorRate()));
		}
		if (sample.errorRate() != null) {
			details.put("observed.error.rate", rate(sample.errorRate()));
		}
		details.put("observed.journeys", Integer.toString(sample.journeys()));
		if (sample.problemStatus() != null) {
			details.put("problem.status", sample.problemStatus());
		}
		return details;
	}

	private static String rate(double rate) {
		return String.format(Locale.ROOT, "%.4f", rate);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	/** Published once a guard has its verdict, so whatever waits for it (a runbook's run) moves on at once. */
	record Concluded(String guardId) {
	}

	@Override
	public Background.Loop loop() {
		return this.loop;
	}

}
