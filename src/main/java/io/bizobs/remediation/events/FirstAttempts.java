package io.bizobs.remediation.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.EventDeliveries;
import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.FlagStore;

/**
 * The first delivery attempt of each change's event, for the change's response: on the leader
 * from the delivery worker as it makes it, on another replica from the audit entry the leader
 * writes. At most {@code remediation.events.response-wait} after the call, an event not yet
 * attempted is reported as such; while Dynatrace is known to be down, at once.
 */
class FirstAttempts implements EventDeliveries {

	static final DeliveryReport DISABLED = new DeliveryReport(EventStatus.DISABLED, null,
			"No Dynatrace environment is configured (DT_ENVIRONMENT)");

	static final DeliveryReport NOT_YET_ATTEMPTED = new DeliveryReport(EventStatus.PENDING, null,
			"Not yet delivered; it will be retried until it is");

	private static final Duration LEADER_POLL = Duration.ofMillis(20);

	private final boolean enabled;

	private final FlagStore store;

	private final Leadership leadership;

	private final Duration responseWait;

	private final Clock clock;

	private final Executor leaderPolls;

	private final Cache<String, CompletableFuture<DeliveryReport>> attempts = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(1))
		.build();

	/** Set while Dynatrace is unavailable and the worker waits before its next attempt. */
	private volatile Instant pausedUntil = Instant.MIN;

	private volatile String pauseReason;

	FirstAttempts(boolean enabled, FlagStore store, Leadership leadership, Duration responseWait, Clock clock,
			Background background) {
		this.enabled = enabled;
		this.leaderPolls = background.after(LEADER_POLL);
		this.store = store;
		this.leadership = leadership;
		this.responseWait = responseWait;
		this.clock = clock;
	}

	@Override
	public CompletableFuture<Map<String, DeliveryReport>> firstAttempts(Collection<String> auditIds) {
		// While Dynatrace is known to be down, waiting would only delay the answer.
		boolean paused = this.pausedUntil.isAfter(this.clock.instant().plus(this.responseWait));
		long deadline = System.nanoTime() + this.responseWait.toNanos();
		Map<String, CompletableFuture<DeliveryReport>> attempts = new LinkedHashMap<>();
		for (String auditId : auditIds) {
			attempts.put(auditId, !this.enabled ? CompletableFuture.completedFuture(DISABLED)
					: paused ? CompletableFuture.completedFuture(new DeliveryReport(EventStatus.PENDING, null,
							"Not yet delivered; Dynatrace is unavailable"
									+ ((this.pauseReason != null) ? ": " + this.pauseReason : "")))
							: firstAttempt(auditId, deadline));
		}
		return CompletableFuture.allOf(attempts.values().toArray(CompletableFuture[]::new)).thenApply((all) -> {
			Map<String, DeliveryReport> reports = new LinkedHashMap<>();
			attempts.forEach((auditId, attempt) -> reports.put(auditId, attempt.join()));
			return reports;
		});
	}

	/** The delivery worker made the first attempt of this change's event. */
	void attempted(String auditId, DeliveryReport report) {
		this.attempts.get(auditId, (id) -> new CompletableFuture<>()).complete(report);
	}

	/** The delivery worker waits until then before its next attempt, for this reason. */
	void paused(Instant until, String reason) {
		this.pauseReason = reason;
		this.pausedUntil = until;
	}

	private CompletableFuture<DeliveryReport> firstAttempt(String auditId, long deadline) {
		if (this.leadership.isLeader()) {
			return ownAttempt(auditId, deadline);
		}
		// The change is stored whatever happens here: a failed look at its outcome is no outcome yet.
		return CompletableFuture.completedFuture(auditId)
			.thenCompose((id) -> leadersAttempt(id, deadline))
			.exceptionally((ex) -> NOT_YET_ATTEMPTED);
	}

	/** Another replica delivers: its outcome shows in the audit entry, looked at every few milliseconds. */
	private CompletableFuture<DeliveryReport> leadersAttempt(String auditId, long deadline) {
		AuditEntry entry = this.store.auditEntry(auditId);
		if (entry.eventStatus() != EventStatus.PENDING || entry.eventError() != null) {
			return CompletableFuture.completedFuture(
					new DeliveryReport(entry.eventStatus(), entry.eventCorrelationId(), entry.eventError()));
		}
		if (System.nanoTime() >= deadline) {
			return CompletableFuture.completedFuture(NOT_YET_ATTEMPTED);
		}
		return CompletableFuture.supplyAsync(() -> leadersAttempt(auditId, deadline), this.leaderPolls)
			.thenCompose((next) -> next);
	}

	private CompletableFuture<DeliveryReport> ownAttempt(String auditId, long deadline) {
		CompletableFuture<DeliveryReport> attempt = this.attempts.get(auditId, (id) -> new CompletableFuture<>());
		attempt.whenComplete((report, ex) -> this.attempts.invalidate(auditId));
		return attempt.copy()
			.completeOnTimeout(NOT_YET_ATTEMPTED, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

}
