package io.bizobs.remediation.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.flags.ChangeEventPolicy;
import io.bizobs.remediation.flags.ChangeRecorded;
import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;
import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.EventOutbox;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.PendingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;

/**
 * Delivers the outbox to Dynatrace in one background loop, oldest event first, one at a time,
 * on the leading replica only. Each delivery is fenced: the event is claimed in the database
 * with a lease and a rising token before it is sent, and its outcome is recorded at once, only
 * under that token, so a leader that was deposed while sending neither sends what another
 * replica now holds nor overwrites its outcome (docs/deployment.md says what "once" means). A
 * change only writes its event row and wakes this worker, so Dynatrace never slows or blocks a
 * change. After a failure worth retrying the worker waits, and the oldest event stays first,
 * so events reach Dynatrace in the order of their changes, across outages and restarts. Longer
 * than most classes: claiming, sending and recording under one fence are kept in one place,
 * where the order of their steps can be read.
 */
public class EventDeliveryWorker implements Background.LoopOwner, ChangeEventPolicy {

	private static final Logger logger = LoggerFactory.getLogger(EventDeliveryWorker.class);

	private final DynatraceClient client;

	private final EventOutbox outbox;

	private final Leadership leadership;

	private final FirstAttempts firstAttempts;

	private final String entitySelector;

	private final EventDeliveryProperties properties;

	private final Backoff backoff;

	private final Clock clock;

	private final RandomGenerator random;

	private final Background.Loop loop;

	private final Counter sent;

	private final Counter failed;

	private final Counter retried;

	private final Timer latency;

	/** Who claims events in the outbox: this process. */
	private final String sender = "sender-" + UUID.randomUUID();

	/**
	 * How long a claim holds: twice the longest a delivery may take, so a sender that is still
	 * delivering is never overtaken.
	 */
	private final Duration lease;

	/** Touched on the worker's thread only. */
	private volatile Unrecorded unrecorded;

	/** Whether this sender may hold a claim it has not recorded; the worker's thread only. */
	private boolean claimsInDoubt;

	private volatile String lastError;

	private volatile Instant lastDeliveredAt;

	/**
	 * @param client the Dynatrace client, or {@code null} when no environment is configured
	 */
	EventDeliveryWorker(DynatraceClient client, EventOutbox outbox, Leadership leadership, FirstAttempts firstAttempts,
			String entitySelector, EventDeliveryProperties properties, Clock clock, RandomGenerator random,
			MeterRegistry meters, Background background) {
		this.client = client;
		this.outbox = outbox;
		this.leadership = leadership;
		this.firstAttempts = firstAttempts;
		this.entitySelector = entitySelector;
		this.properties = properties;
		this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
		this.lease = properties.connectTimeout().plus(properties.responseTimeout()).multipliedBy(2);
		this.clock = clock;
		this.random = random;
		this.sent = Counter.builder("bizobs.events.sent").description("Events Dynatrace accepted").register(meters);
		this.failed = Counter.builder("bizobs.events.failed")
			.description("Events Dynatrace refused for good")
			.register(meters);
		this.retried = Counter.builder("bizobs.events.retried")
			.description("Delivery attempts that failed and will be retried")
			.register(meters);
		this.latency = Timer.builder("bizobs.events.delivery.latency")
			.description("From a change to Dynatrace accepting its event")
			.register(meters);
		Gauge.builder("bizobs.events.pending", outbox, EventOutbox::pendingCount)
			.description("Events waiting for delivery")
			.register(meters);
		this.loop = background.loop("dynatrace-events",
				properties.connectTimeout().plus(properties.responseTimeout()).plusSeconds(1),
				this::deliverDue);
	}

	boolean enabled() {
		return this.client != null;
	}

	@Override
	public EventStatus initialStatus() {
		return enabled() ? EventStatus.PENDING : EventStatus.DISABLED;
	}

	@EventListener({ FlagsChanged.class, FlagsReloaded.class, ChangeRecorded.class })
	void wake() {
		this.loop.wake();
	}

	/**
	 * Delivers what is due, oldest first, one event at a time: claims it (the check before the
	 * delivery), sends it, and records the outcome at once under the claim's token (the check
	 * after), claiming the next event in the same transaction. Only the leader claims; a sender
	 * that is no longer the leader, or cannot reach the database, stops before its next send. An
	 * outcome the database could not take is recorded first thing next time, leader or not: its
	 * claim still fences it. Returns how long to wait before looking again.
	 */
	Duration deliverDue() {
		EventOutbox.Next next = recordUnrecorded();
		while (true) {
			if (!this.loop.shouldContinue() || !this.leadership.isLeader()) {
				if (next instanceof EventOutbox.Next.Claimed claimed) {
					this.outbox.release(claimed.claim());
				}
				releaseClaimsInDoubt();
				return this.properties.pollInterval();
			}
			if (next == null) {
				// Set until the claim is known: a claim whose transaction broke off may have been
				// stored without this sender knowing.
				this.claimsInDoubt = true;
				next = this.outbox.claimNext(this.sender, this.lease, this.clock.instant());
				this.claimsInDoubt = next instanceof EventOutbox.Next.Claimed;
			}
			if (next instanceof EventOutbox.Next.NotDue notDue) {
				this.firstAttempts.paused(notDue.at(), this.lastError);
				return Duration.between(this.clock.instant(), notDue.at());
			}
			if (!(next instanceof EventOutbox.Next.Claimed claimed)) {
				// Nothing to send, or another replica's sender holds the oldest event (a leader
				// deposed while sending): its outcome or the end of its lease comes first, so
				// events stay in order.
				return this.properties.pollInterval();
			}
			if (!this.leadership.isLeader()) {
				continue;
			}
			EventOutbox.Attempt attempt = attempt(claimed.claim().event());
			this.unrecorded = new Unrecorded(claimed.claim(), attempt);
			next = recordUnrecorded();
		}
	}

	/**
	 * Records the outcome of the last delivery, if it is not yet, and while this sender leads
	 * claims the next event in the same transaction; throws while the database is unreachable,
	 * and the worker tries again.
	 * @return the next claim, or {@code null} when none was asked for
	 */
	private EventOutbox.Next recordUnrecorded() {
		Unrecorded outcome = this.unrecorded;
		if (outcome == null) {
			return null;
		}
		boolean claimNext = this.loop.shouldContinue() && this.leadership.isLeader();
		this.claimsInDoubt = true;
		EventOutbox.Recorded recorded = this.outbox.record(outcome.claim(), outcome.attempt(),
				claimNext ? this.lease : null, this.clock.instant());
		this.unrecorded = null;
		this.claimsInDoubt = recorded.next() instanceof EventOutbox.Next.Claimed;
		if (!recorded.recorded()) {
			logger.warn("[Event API] The claim on the event of change {} ran out while it was being delivered, and "
					+ "another replica claimed it: its outcome ({}) is not recorded here, and Dynatrace may get it "
					+ "twice", outcome.attempt().event().change().id(), outcome.attempt().outcome());
		}
		return recorded.next();
	}

	/**
	 * Gives up claims this sender may hold without knowing, once it no longer leads, so the new
	 * leader need not wait for their leases. Nothing is in flight here: this thread sends, and
	 * it is here.
	 */
	private void releaseClaimsInDoubt() {
		if (this.claimsInDoubt && this.unrecorded == null) {
			this.outbox.releaseAll(this.sender);
			this.claimsInDoubt = false;
		}
	}

	/** A delivery whose outcome is not yet stored, with the claim it was made under. */
	private record Unrecorded(EventOutbox.Claim claim, EventOutbox.Attempt attempt) {
	}

	private EventOutbox.Attempt attempt(PendingEvent event) {
		AuditEntry entry = event.change();
		String what;
		IngestResult result;
		// The worker's own thread, so it waits: deliveries go out one at a time, in order.
		if (event.comment()) {
			what = "comment on problem " + entry.problemId();
			result = this.client.comment(entry.problemId(), EventPayload.comment(entry)).join();
		}
		else {
			Map<String, Object> payload = EventPayload.of(entry, this.entitySelector);
			what = payload.get("eventType") + " \"" + payload.get("title") + "\"";
			result = this.client.send(payload).join();
		}
		// A comment's outcome is nobody's answer: only events are waited for by responses.
		FirstAttempts firstAttempts = event.comment() ? null : this.firstAttempts;
		String auditId = entry.id();
		int attempt = event.attempts() + 1;
		if (result instanceof IngestResult.Delivered delivered) {
			this.sent.increment();
			this.lastDeliveredAt = this.clock.instant();
			this.latency.record(Duration.between(entry.timestamp(), this.lastDeliveredAt));
			logger.info("[Event API] Sent {}: {} (correlationId {})", what, delivered.message(),
					delivered.correlationId());
			if (firstAttempts != null) {
				firstAttempts.attempted(auditId,
						new DeliveryReport(EventStatus.DELIVERED, delivered.correlationId(), null));
			}
			return new EventOutbox.Attempt(event, EventStatus.DELIVERED, delivered.correlationId(), null, null);
		}
		this.lastError = result.message();
		if (result instanceof IngestResult.Refused) {
			this.failed.increment();
			logger.error("[Event API] Delivery of {} failed for good (attempt {}), not retrying: {}", what, attempt,
					result.message());
			if (firstAttempts != null) {
				firstAttempts.attempted(auditId, new DeliveryReport(EventStatus.FAILED, null, result.message()));
			}
			return new EventOutbox.Attempt(event, EventStatus.FAILED, null, result.message(), null);
		}
		Duration delay = this.backoff.delay(attempt, ((IngestResult.Unavailable) result).retryAfter(), this.random);
		Instant nextAttemptAt = this.clock.instant().plus(delay);
		// Set before the waiting response hears of it, so the next change is answered at once.
		this.firstAttempts.paused(nextAttemptAt, this.lastError);
		this.retried.increment();
		logger.warn("[Event API] Delivery of {} failed (attempt {}, retrying in {} s): {}", what, attempt,
				seconds(delay), result.message());
		if (firstAttempts != null) {
			firstAttempts.attempted(auditId, new DeliveryReport(EventStatus.PENDING, null, result.message()));
		}
		return new EventOutbox.Attempt(event, EventStatus.PENDING, null, result.message(), nextAttemptAt);
	}

	private static String seconds(Duration delay) {
		return (delay.toMillis() < 10_000) ? String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0)
				: Long.toString(delay.toSeconds());
	}

	/** Where events go, or {@code null} when no environment is configured. */
	DynatraceEndpoint endpoint() {
		return enabled() ? this.client.endpoint() : null;
	}

	String lastError() {
		return this.lastError;
	}

	Instant lastDeliveredAt() {
		return this.lastDeliveredAt;
	}

	long pending() {
		return this.outbox.pendingCount();
	}

	@Override
	public void start() {
		if (enabled()) {
			this.loop.start();
		}
	}

	@Override
	public Background.Loop loop() {
		return this.loop;
	}

}
