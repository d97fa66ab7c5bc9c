package io.bizobs.remediation.safety;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts flags back when a change made with {@code revertAfterSeconds} is due, on the leading
 * replica. The pending
 * reverts are part of the stored flags, so they survive a restart; a newer change of a flag
 * cancels its revert.
 */
@Component
class AutoReverter implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AutoReverter.class);

	static final String AUTO_REVERT = "auto_revert";

	/** How long to wait before trying a revert again that failed, or to check with none pending. */
	private static final Duration IDLE = Duration.ofSeconds(1);

	private final FeatureFlagService flags;

	private final Clock clock;

	private final Leadership leadership;

	private final Background.Loop loop;

	AutoReverter(FeatureFlagService flags, Clock clock, Leadership leadership, Background background) {
		this.flags = flags;
		this.clock = clock;
		this.leadership = leadership;
		this.loop = background.loop("auto-revert", Duration.ofSeconds(5), this::revertDue);
	}

	@EventListener({ FlagsChanged.class, FlagsReloaded.class })
	void wake() {
		this.loop.wake();
	}

	/** Reverts the earliest due flag, if any; returns how long to wait before looking again. */
	Duration revertDue() {
		if (!this.leadership.isLeader()) {
			return IDLE;
		}
		Optional<FlagState> next = this.flags.snapshot()
			.states()
			.values()
			.stream()
			.filter((state) -> state.pendingRevert() != null)
			.min(Comparator.comparing((FlagState state) -> state.pendingRevert().revertAt()));
		if (next.isEmpty()) {
			return IDLE;
		}
		FlagState.PendingRevert pending = next.get().pendingRevert();
		Instant now = this.clock.instant();
		if (pending.revertAt().isAfter(now)) {
			return Duration.between(now, pending.revertAt());
		}
		String flag = next.get().definition().name();
		try {
			this.flags.revert(flag, pending.auditId(), new ChangeContext("Auto-revert of change " + pending.auditId(),
					null, AUTO_REVERT, AUTO_REVERT, null));
			return Duration.ZERO;
		}
		catch (RuntimeException ex) {
			logger.warn("[Remediation] Auto-revert of {} failed; trying again in {} s", flag, IDLE.toSeconds(), ex);
			return IDLE;
		}
	}

	@Override
	public void start() {
		this.loop.start();
	}

	@Override
	public void stop() {
		this.loop.stop();
	}

	@Override
	public boolean isRunning() {
		return this.loop.isRunning();
	}

}
