package io.bizobs.remediation.safety;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;
import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.FlagStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts flags back when a change made with {@code revertAfterSeconds} is due, on the leading
 * replica. The pending
 * reverts are part of the stored flags, so they survive a restart; a newer change of a flag
 * cancels its revert.
 */
@Component
class AutoReverter implements Background.LoopOwner {

	private static final Logger logger = LoggerFactory.getLogger(AutoReverter.class);

	static final String AUTO_REVERT = "auto_revert";

	/** How long to wait before trying a revert again that failed, or to check with none pending. */
	private static final Duration IDLE = Duration.ofSeconds(1);

	private final FeatureFlagService flags;

	private final FlagStore store;

	private final Clock clock;

	private final Leadership leadership;

	private final Background.Loop loop;

	AutoReverter(FeatureFlagService flags, FlagStore store, Clock clock, Leadership leadership, Background background) {
		this.flags = flags;
		this.store = store;
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
		List<FlagState> pending = this.flags.snapshot()
			.states()
			.values()
			.stream()
			.filter((state) -> state.pendingRevert() != null)
			.sorted(Comparator.comparing((FlagState state) -> state.pendingRevert().revertAt()))
			.toList();
		if (pending.isEmpty()) {
			return IDLE;
		}
		Instant now = this.clock.instant();
		Instant next = pending.get(0).pendingRevert().revertAt();
		if (next.isAfter(now)) {
			return Duration.between(now, next);
		}
		List<FlagState> due = pending.stream().filter((state) -> !state.pendingRevert().revertAt().isAfter(now)).toList();
		try {
			// The flags of one change go back together, as one version, saying what that change was.
			Map<String, AuditEntry> changes = new HashMap<>();
			this.store.auditEntries(due.stream().map((state) -> state.pendingRevert().auditId()).toList())
				.forEach((entry) -> changes.put(entry.id(), entry));
			AuditEntry original = changes.get(due.get(0).pendingRevert().auditId());
			Map<String, String> reverts = new LinkedHashMap<>();
			reverts.put(due.get(0).definition().name(), due.get(0).pendingRevert().auditId());
			for (FlagState state : due) {
				AuditEntry change = changes.get(state.pendingRevert().auditId());
				if (original != null && change != null && change.version() == original.version()) {
					reverts.put(state.definition().name(), change.id());
				}
			}
			this.flags.revert((original != null) ? original.version() : null, reverts, (original != null)
					? new ChangeContext(reason(original), original.problemId(), AUTO_REVERT, AUTO_REVERT, null)
					: new ChangeContext("Auto-revert of change " + reverts.values().iterator().next(), null, AUTO_REVERT,
							AUTO_REVERT, null));
			return Duration.ZERO;
		}
		catch (RuntimeException ex) {
			logger.warn("[Remediation] Auto-revert of {} failed; trying again in {} s", due.get(0).definition().name(),
					IDLE.toSeconds(), ex);
			return IDLE;
		}
	}

	/** The revert's reason: whose change it undoes, and that change's own. */
	private static String reason(AuditEntry original) {
		return ChangeContext.cut("Auto-revert of the change by " + original.caller() + " (" + original.triggeredBy()
				+ ", version " + original.version() + ")" + ((original.reason() != null) ? ": " + original.reason() : ""),
				1000);
	}

	@Override
	public Background.Loop loop() {
		return this.loop;
	}

}
