package io.bizobs.remediation.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims on outbox events fence their senders: one sender at a time, and only the latest
 * claim's outcome is recorded. The lease runs on the database's clock; a negative lease stands
 * for one that ran out.
 */
class EventOutboxTests {

	private static final Duration LEASE = Duration.ofMinutes(1);

	private static final Duration RAN_OUT = Duration.ofSeconds(-1);

	@TempDir
	Path dataDir;

	private TestDatabase database;

	private PendingEvent event;

	@BeforeEach
	void oneEventWaits() {
		this.database = TestDatabase.open(this.dataDir);
		FlagStore flags = this.database.flags();
		String auditId = UUID.randomUUID().toString();
		flags.underLock(0, (stored) -> flags.write(new ChangeRecord(Instant.now(), true, "feature_flag_toggle", true,
				"test", null, "manual", "anonymous", null, EventStatus.PENDING, null, Map.of(),
				List.of(new ChangeRecord.FlagChangeRow(auditId, "cacheEnabled", "true", "false")))));
		this.event = this.database.outbox().oldest().orElseThrow();
	}

	@Test
	void anEventClaimedByOneSenderIsRefusedToAnotherWhileTheLeaseHolds() {
		EventOutbox outbox = this.database.outbox();
		EventOutbox.Claim first = outbox.claim(this.event, "a", LEASE).orElseThrow();

		assertThat(outbox.claim(this.event, "b", LEASE)).isEmpty();
		assertThat(outbox.record(first, delivered(first, "c1"))).isTrue();
	}

	@Test
	void aClaimTakenOverAfterItsLeaseFencesOffTheFirstSendersOutcome() {
		EventOutbox outbox = this.database.outbox();
		EventOutbox.Claim first = outbox.claim(this.event, "a", RAN_OUT).orElseThrow();
		EventOutbox.Claim second = outbox.claim(this.event, "b", LEASE).orElseThrow();
		assertThat(second.token()).isGreaterThan(first.token());

		assertThat(outbox.record(first, delivered(first, "late"))).as("the deposed sender's outcome").isFalse();
		assertThat(outbox.pendingCount()).isEqualTo(1);

		assertThat(outbox.record(second, delivered(second, "c2"))).isTrue();
		assertThat(outbox.pendingCount()).isZero();
		AuditEntry entry = this.database.flags().auditEntry(this.event.change().id());
		assertThat(entry.eventStatus()).isEqualTo(EventStatus.DELIVERED);
		assertThat(entry.eventCorrelationId()).isEqualTo("c2");
	}

	@Test
	void anEventToRetryIsLeftUnclaimedForItsNextAttempt() {
		EventOutbox outbox = this.database.outbox();
		EventOutbox.Claim first = outbox.claim(this.event, "a", LEASE).orElseThrow();
		Instant next = Instant.parse("2026-11-24T10:00:00Z");

		assertThat(outbox.record(first, new EventOutbox.Attempt(first.event(), EventStatus.PENDING, null, "503",
				next))).isTrue();

		PendingEvent waiting = outbox.oldest().orElseThrow();
		assertThat(waiting.attempts()).isEqualTo(1);
		assertThat(waiting.nextAttemptAt()).isEqualTo(next);
		assertThat(outbox.claim(waiting, "b", LEASE)).as("free for any sender").isPresent();
	}

	@Test
	void aSenderMayClaimAgainWhatItHoldsAndOnlyTheNewClaimCounts() {
		EventOutbox outbox = this.database.outbox();
		EventOutbox.Claim first = outbox.claim(this.event, "a", LEASE).orElseThrow();
		EventOutbox.Claim again = outbox.claim(this.event, "a", LEASE).orElseThrow();

		assertThat(outbox.record(first, delivered(first, "c1"))).isFalse();
		assertThat(outbox.record(again, delivered(again, "c1"))).isTrue();
	}

	private static EventOutbox.Attempt delivered(EventOutbox.Claim claim, String correlationId) {
		return new EventOutbox.Attempt(claim.event(), EventStatus.DELIVERED, correlationId, null, null);
	}

}
