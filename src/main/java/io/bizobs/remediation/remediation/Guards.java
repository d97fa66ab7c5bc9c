package io.bizobs.remediation.remediation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.bizobs.remediation.flags.ChangeAttachment;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.simulator.JourneyStats;
import io.bizobs.remediation.store.ChangeRecord;
import io.bizobs.remediation.store.GuardRow;
import io.bizobs.remediation.store.GuardStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Guarded changes: a change that says what it expects and by when is stored with a guard, in its
 * own transaction, and {@link GuardWatcher} watches it until its verdict. Here: what a guard asks
 * for, checked and completed with the defaults; the guard stored with its change; and guards as
 * the API shows them.
 */
@Service
public class Guards {

	private final GuardStore store;

	private final Evidence evidence;

	private final GuardProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	Guards(GuardStore store, Evidence evidence, GuardProperties properties, JsonMapper json, Clock clock) {
		this.store = store;
		this.evidence = evidence;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * What a change's guard will watch, its defaults filled in.
	 * @param revertAfter the change's {@code revertAfterSeconds}: with a guard, counted from a verified
	 * verdict, so the change itself is made without it
	 * @throws ErrorResponseException 400 if the guard has no evidence to go by
	 */
	public Plan plan(GuardSpec spec, ChangeContext context, Duration revertAfter) {
		return plan(spec, context, revertAfter, Map.of());
	}

	/**
	 * What a change's guard will watch, with labels its verdict's event carries beside its own
	 * properties (a runbook's run and step).
	 */
	Plan plan(GuardSpec spec, ChangeContext context, Duration revertAfter, Map<String, String> labels) {
		boolean problemClosed = (spec.problemClosed() != null) ? spec.problemClosed()
				: context.problemId() != null && this.evidence.problemsReadable();
		if (problemClosed && context.problemId() == null) {
			throw invalid("guard.problemClosed needs the change's problemId: the problem whose closing is the evidence");
		}
		if (problemClosed && !this.evidence.problemsReadable()) {
			throw invalid("No Dynatrace environment is configured (DT_ENVIRONMENT), so a problem's status cannot be "
					+ "evidence; give guard.errorRateBelow instead");
		}
		if (!problemClosed && spec.errorRateBelow() == null) {
			throw invalid("A guard needs evidence that the change healed: guard.problemClosed (with the change's "
					+ "problemId) or guard.errorRateBelow");
		}
		if (spec.customer() != null && !JourneyStats.knows(spec.customer())) {
			throw invalid("guard.customer '" + spec.customer() + "' is no customer of the journey statistics; they "
					+ "count Umbrella Corporation, Globex Corporation, Acme Corp, Initech, Stark Industries and other");
		}
		Expectation expectation = new Expectation(problemClosed,
				(spec.errorRateBelow() != null) ? spec.errorRateBelow().doubleValue() : null, spec.customer(),
				or(spec.settleSeconds(), this.properties.settle().toSeconds()),
				or(spec.withinSeconds(), this.properties.within().toSeconds()),
				or(spec.samples(), this.properties.samples()),
				(spec.worseBy() != null) ? spec.worseBy().doubleValue() : this.properties.worseBy().doubleValue(),
				or(spec.worseSamples(), this.properties.worseSamples()),
				or(spec.minJourneys(), this.properties.minJourneys()), or(spec.onNoEffect(), this.properties.onNoEffect()),
				or(spec.onWorsened(), this.properties.onWorsened()),
				or(spec.onInconclusive(), this.properties.onInconclusive()),
				or(spec.stayClosedSeconds(), this.properties.stayClosed().toSeconds()));
		if (expectation.settleSeconds() >= expectation.withinSeconds()) {
			throw invalid("guard.settleSeconds (" + expectation.settleSeconds() + ") must be less than "
					+ "guard.withinSeconds (" + expectation.withinSeconds() + ")");
		}
		return new Plan(expectation, context, revertAfter, labels);
	}

	private static <T> T or(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	private static ErrorResponseException invalid(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Invalid guard");
		return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
	}

	/** The journeys now, as a guard's baseline. */
	Baseline baseline(Expectation expectation, Instant now) {
		JourneyStats.Figures journeys = this.evidence.journeys(expectation.customer());
		return new Baseline(now, (journeys.journeys() >= expectation.minJourneys()) ? journeys.errorRate() : null,
				journeys.journeys());
	}

	/** The guards newest first, only those not ended if asked. */
	public List<GuardView> list(boolean unfinishedOnly, int limit) {
		return this.store.recent(limit, unfinishedOnly).stream().map(this::view).toList();
	}

	public Optional<GuardView> find(String id) {
		return this.store.find(id).map(this::view);
	}

	/** The guard watching a flag now, if any. */
	public Optional<GuardView> watching(String flag) {
		return this.store.watching(flag).map(this::view);
	}

	GuardView view(GuardRow guard) {
		GuardRow.Outcome outcome = guard.outcome();
		return new GuardView(guard.id(), guard.progress().state(),
				(outcome.verdict() != null) ? Verdict.valueOf(outcome.verdict()) : null,
				guard.flags()
					.stream()
					.map((flag) -> new GuardView.Flag(flag.flag(), FlagValues.fromLiteral(flag.previousValue()),
							FlagValues.fromLiteral(flag.newValue()), flag.auditId()))
					.toList(),
				guard.who().problemId(), read(guard.expectation(), Expectation.class),
				read(guard.baseline(), Baseline.class), guard.settleUntil(), guard.deadline(),
				guard.revertAfterSeconds(), guard.progress().samples(), guard.progress().goodInARow(),
				guard.progress().worseInARow(), read(guard.progress().lastSample(), Sample.class), outcome.verdictAt(),
				read(outcome.evidence(), GuardView.Judgement.class), outcome.action(), outcome.verdictAuditId(),
				outcome.revertAt(), outcome.endedAt());
	}

	<T> T read(String text, Class<T> type) {
		return (text != null) ? this.json.readValue(text, type) : null;
	}

	String write(Object value) {
		return this.json.writeValueAsString(value);
	}

	/**
	 * A guard to be stored with its change: in the change's transaction, so the change is never
	 * stored without the guard watching it, nor the other way round.
	 */
	public final class Plan implements ChangeAttachment {

		private final Expectation expectation;

		private final ChangeContext context;

		private final Duration revertAfter;

		private final Map<String, String> labels;

		private GuardRow stored;

		private Plan(Expectation expectation, ChangeContext context, Duration revertAfter, Map<String, String> labels) {
			this.expectation = expectation;
			this.context = context;
			this.revertAfter = revertAfter;
			this.labels = labels;
		}

		/** The id of the guard stored with the change, or {@code null} before (or without) one. */
		String storedId() {
			return (this.stored != null) ? this.stored.id() : null;
		}

		@Override
		public void store(FlagChangeOutcome outcome) {
			Instant at = outcome.timestamp();
			List<GuardRow.GuardedFlag> flags = outcome.changes()
				.stream()
				.filter(FlagChange::changed)
				.map((change) -> new GuardRow.GuardedFlag(change.flag(), change.auditId(),
						FlagValues.literal(change.previousValue()), FlagValues.literal(change.newValue())))
				.toList();
			GuardRow guard = new GuardRow(UUID.randomUUID().toString(), at, outcome.version(),
					new ChangeRecord.Who(this.context.reason(), this.context.problemId(), this.context.triggeredBy(),
							this.context.caller(), null),
					write(this.expectation), write(baseline(this.expectation, at)),
					at.plusSeconds(this.expectation.settleSeconds()), at.plusSeconds(this.expectation.withinSeconds()),
					(this.revertAfter != null) ? this.revertAfter.toSeconds() : null,
					this.labels.isEmpty() ? null : write(this.labels), flags,
					new GuardRow.Progress(GuardRow.WATCHING, 0, 0, 0, 0, null), GuardRow.Outcome.NONE);
			Guards.this.store.insert(guard);
			this.stored = guard;
		}

		/**
		 * The guard as the change's answer shows it: what a dry run would watch, the guard stored
		 * with the change, or {@code null} when the change changed nothing and so has nothing to watch.
		 */
		public GuardView view(FlagChangeOutcome outcome) {
			if (this.stored != null) {
				return Guards.this.view(this.stored);
			}
			if (!outcome.dryRun()) {
				return null;
			}
			Instant now = Guards.this.clock.instant();
			List<GuardView.Flag> flags = outcome.changes()
				.stream()
				.filter(FlagChange::changed)
				.map((change) -> new GuardView.Flag(change.flag(), change.previousValue(), change.newValue(), null))
				.toList();
			return new GuardView(null, "DRY_RUN", null, flags, this.context.problemId(), this.expectation,
					baseline(this.expectation, now), now.plusSeconds(this.expectation.settleSeconds()),
					now.plusSeconds(this.expectation.withinSeconds()),
					(this.revertAfter != null) ? this.revertAfter.toSeconds() : null, 0, 0, 0, null, null, null, null,
					null, null, null);
		}

	}

}
