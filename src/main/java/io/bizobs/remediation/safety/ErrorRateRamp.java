package io.bizobs.remediation.safety;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.ChangeType;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagChangeCommand;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.store.RampRow;
import io.bizobs.remediation.store.RampStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The guide's "gradual feature rollback": moves {@code errorRate} linearly to a target over a
 * duration. Its start and end are audited and announced like a change (and the start is what
 * the loop guard counts); the steps in between are stored and served but not announced. The
 * ramp is stored, so a running one resumes after a restart where the clock says it should be;
 * the leading replica moves it.
 */
@Component
public class ErrorRateRamp implements Background.LoopOwner {

	/** Who a ramp's steps are recorded as, in the flag's last change. */
	static final String RAMP = "error_rate_ramp";


	private static final Logger logger = LoggerFactory.getLogger(ErrorRateRamp.class);

	public static final String FLAG = "errorRate";

	static final String RUNNING = "RUNNING";

	private final FeatureFlagService flags;

	private final RampStore store;

	private final Clock clock;

	private final RampProperties properties;

	private final Leadership leadership;

	private final Object lock = new Object();

	private final Background.Loop loop;

	ErrorRateRamp(FeatureFlagService flags, RampStore store, Clock clock, RampProperties properties,
			Leadership leadership, Background background) {
		this.flags = flags;
		this.store = store;
		this.clock = clock;
		this.properties = properties;
		this.leadership = leadership;
		this.loop = background.loop("error-rate-ramp", Duration.ofSeconds(5), () -> {
			if (this.leadership.isLeader()) {
				step();
			}
			return this.properties.stepInterval();
		});
	}

	/**
	 * Starts a ramp from the current rate, replacing a running one.
	 * @throws io.bizobs.remediation.flags.InvalidFlagChangeException if the target is not a valid rate
	 * @throws io.bizobs.remediation.flags.ChangeRateExceededException if the loop guard refuses it
	 */
	public RampRow start(Number requestedTarget, Duration duration, ChangeContext context) {
		double target = (Double) this.flags.validate(FLAG, requestedTarget);
		RampRow started;
		synchronized (this.lock) {
			// One transaction under the row lock that orders every change in the cluster: a ramp
			// started at the same moment on another replica is either replaced by this one or
			// replaces it, and the database holds at most one running ramp whatever happens.
			started = this.flags.inOneTransaction((current) -> {
				Instant now = now();
				double from = rate(current);
				RampRow ramp = new RampRow(UUID.randomUUID().toString(), from, target, now, now.plus(duration),
						RUNNING, null, null, context.reason(), context.problemId(), context.triggeredBy(),
						context.caller(), context.remoteAddress());
				this.flags.record(new FeatureFlagService.Recorded(FLAG, from, target, ChangeType.ERROR_RATE_RAMP,
						context, details(ramp, "started"), true, false));
				running().ifPresent((old) -> finish(old, "REPLACED", from, "replaced by ramp " + ramp.id()));
				this.store.insert(ramp);
				logger.info("[Remediation] errorRate ramp {} started: {} → {} over {} s", ramp.id(), from, target,
						duration.toSeconds());
				return ramp;
			});
		}
		this.loop.wake();
		// This ramp as it is now: moved a first step, or already replaced by one started on
		// another replica a moment later.
		return step().filter((ramp) -> ramp.id().equals(started.id()))
			.or(() -> this.store.find(started.id()))
			.orElse(started);
	}

	/** Stops the running ramp where it is. */
	public Optional<RampRow> stop(ChangeContext context) {
		synchronized (this.lock) {
			return running().map((ramp) -> finish(ramp, "STOPPED", currentRate(),
					"stopped by " + context.triggeredBy() + " (caller " + context.caller() + ")"));
		}
	}

	/** The running ramp, or else the last one. */
	public Optional<RampRow> latest() {
		return this.store.latest();
	}

	public double currentRate() {
		return rate(this.flags.snapshot());
	}

	private static double rate(FlagSnapshot flags) {
		return ((Number) flags.value(FLAG)).doubleValue();
	}

	/** A change of errorRate by anyone but the ramp ends the ramp, which would otherwise undo it. */
	@EventListener
	void onChange(FlagsChanged changed) {
		if (changed.type() == ChangeType.ERROR_RATE_RAMP_STEP || changed.outcome()
			.changes()
			.stream()
			.noneMatch((change) -> change.changed() && change.flag().equals(FLAG))) {
			return;
		}
		synchronized (this.lock) {
			running().ifPresent((ramp) -> finish(ramp, "SUPERSEDED", currentRate(),
					"errorRate was changed by " + changed.type().remediationType()));
		}
	}

	private Optional<RampRow> running() {
		return this.store.latest().filter((ramp) -> RUNNING.equals(ramp.status()));
	}

	/** Moves the running ramp to where it should be now, and ends it at its target. */
	Optional<RampRow> step() {
		synchronized (this.lock) {
			Optional<RampRow> running = running();
			if (running.isEmpty()) {
				return Optional.empty();
			}
			RampRow ramp = running.get();
			Instant now = now();
			if (!now.isBefore(ramp.endsAt())) {
				RampRow completed = finish(ramp, "COMPLETED", ramp.to(), "reached its target");
				if (completed != null) {
					setRate(ramp, ramp.to());
				}
				return Optional.ofNullable(completed);
			}
			double fraction = (double) Duration.between(ramp.startedAt(), now).toMillis()
					/ Duration.between(ramp.startedAt(), ramp.endsAt()).toMillis();
			setRate(ramp, Math.round((ramp.from() + (ramp.to() - ramp.from()) * fraction) * 10_000) / 10_000.0);
			return Optional.of(ramp);
		}
	}

	/** A step is the ramp's doing, not a person's: the flag's last change says so, with the ramp's reason. */
	private void setRate(RampRow ramp, double rate) {
		this.flags.change(FlagChangeCommand.of(Map.of(FLAG, rate), ChangeType.ERROR_RATE_RAMP_STEP,
				new ChangeContext(ramp.reason(), ramp.problemId(), RAMP, RAMP, null)));
	}

	/**
	 * Ends the ramp and records its end, unless it has ended already (another replica may have
	 * ended it at the same moment).
	 * @return the ended ramp, or {@code null} when it had ended already
	 */
	private RampRow finish(RampRow ramp, String status, double rate, String why) {
		RampRow finished = ramp.finished(status, now(), rate);
		if (!this.store.finish(finished)) {
			return null;
		}
		// From the rate the ramp had reached, which its start's entry cannot say.
		Object reached = this.flags.snapshot().value(FLAG);
		this.flags.record(new FeatureFlagService.Recorded(FLAG, reached, rate, ChangeType.ERROR_RATE_RAMP,
				new ChangeContext(ramp.reason(), ramp.problemId(), ramp.triggeredBy(), ramp.caller(),
						ramp.remoteAddress()),
				details(finished, status.toLowerCase()), false, false));
		logger.info("[Remediation] errorRate ramp {} {} at {}: {}", ramp.id(), status.toLowerCase(), rate, why);
		return finished;
	}

	private static Map<String, String> details(RampRow ramp, String phase) {
		Map<String, String> details = new LinkedHashMap<>();
		details.put("ramp.id", ramp.id());
		details.put("ramp.phase", phase);
		details.put("ramp.from", FlagValues.literal(ramp.from()));
		details.put("ramp.to", FlagValues.literal(ramp.to()));
		details.put("ramp.duration.seconds",
				Long.toString(Duration.between(ramp.startedAt(), ramp.endsAt()).toSeconds()));
		return details;
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	@Override
	public Background.Loop loop() {
		return this.loop;
	}

}
