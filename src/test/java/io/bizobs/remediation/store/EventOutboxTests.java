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
 * Claims on outbox events fence their senders: one sender at a time, oldest event first, and
 * only the latest claim's outcome is recorded. The lease runs on the database's clock; a
 * negative lease stands for one that ran out.
 */
class EventOutboxTests {

	private static final Duration LEASE = Duration.ofMinutes(1);

	private static final Duration RAN_OUT = Duration.ofSeconds(-1);

	private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	@TempDir
	Path dataDir;

	private TestDatabase database;

	private EventOutbox outbox;

	private List<String> changes;

	@BeforeEach
	void twoEventsWait() {
		this.database = TestDatabase.open(this.dataDir);
		this.outbox = this.database.outbox();
		this.changes = List.of(change(), change());
	}

	private String change() {
		FlagStore flags = this.database.flags();
		String auditId = UUID.randomUUID().toString();
		flags.underLock(flags.version(), (stored) -> flags.write(ChangeRecord.at(NOW.minusSeconds(60))
			.by(new ChangeRecord.Who("test", null, "manual", "anonymous", null))
			.values("feature_flag_toggle")
			.event(EventStatus.PENDING)
			.flags(List.of(new ChangeRecord.FlagChangeRow(auditId, "cacheEnabled", "true", "false")))));
		return auditId;
	}

	@Test
	void theOldestEventIsClaimedFirstAndRefusedToAnotherSenderWhileTheLeaseHolds() {
		EventOutbox.Claim first = claim("a", LEASE);
		assertThat(first.event().change().id()).isEqualTo(this.changes.get(0));

		assertThat(this.outbox.claimNext("b", LEASE, NOW)).isInstanceOf(EventOutbox.Next.Held.class);
	}

	@Test
	void recordingAnOutcomeClaimsTheNextEventInTheSameTransaction() {
		EventOutbox.Claim first = claim("a", LEASE);

		EventOutbox.Recorded recorded = this.outbox.record(first, delivered(first, "c1"), LEASE, NOW);

		assertThat(recorded.recorded()).isTrue();
		assertThat(recorded.next()).isInstanceOfSatisfying(EventOutbox.Next.Claimed.class,
				(next) -> assertThat(next.claim().event().change().id()).isEqualTo(this.changes.get(1)));
		assertThat(this.database.flags().auditEntry(this.changes.get(0)).eventStatus())
			.isEqualTo(EventStatus.DELIVERED);
		assertThat(this.outbox.pendingCount()).isEqualTo(1);
	}

	@Test
	void aClaimTakenOverAfterItsLeaseFencesOffTheFirstSendersOutcome() {
		EventOutbox.Claim first = claim("a", RAN_OUT);
		EventOutbox.Claim second = claim("b", LEASE);
		assertThat(second.event().seq()).isEqualTo(first.event().seq());
		assertThat(second.token()).isGreaterThan(first.token());

		assertThat(this.outbox.record(first, delivered(first, "late"), null, NOW).recorded())
			.as("the deposed sender's outcome").isFalse();
		assertThat(this.outbox.pendingCount()).isEqualTo(2);

		assertThat(this.outbox.record(second, delivered(second, "c2"), null, NOW).recorded()).isTrue();
		AuditEntry entry = this.database.flags().auditEntry(this.changes.get(0));
		assertThat(entry.eventStatus()).isEqualTo(EventStatus.DELIVERED);
		assertThat(entry.eventCorrelationId()).isEqualTo("c2");
	}

	@Test
	void anEventToRetryIsLeftUnclaimedAndHoldsBackTheLaterOnes() {
		EventOutbox.Claim first = claim("a", LEASE);
		Instant retryAt = NOW.plusSeconds(30);

		EventOutbox.Recorded recorded = this.outbox.record(first,
				new EventOutbox.Attempt(first.event(), EventStatus.PENDING, null, "503", retryAt), LEASE, NOW);

		assertThat(recorded.next()).isEqualTo(new EventOutbox.Next.NotDue(retryAt));
		EventOutbox.Claim retried = claim("b", LEASE, retryAt);
		assertThat(retried.event().change().id()).as("free for any sender, in its turn").isEqualTo(this.changes.get(0));
		assertThat(retried.event().attempts()).isEqualTo(1);
	}

	@Test
	void aSenderMayClaimAgainWhatItHoldsAndOnlyTheNewClaimCounts() {
		EventOutbox.Claim first = claim("a", LEASE);
		EventOutbox.Claim again = claim("a", LEASE);

		assertThat(this.outbox.record(first, delivered(first, "c1"), null, NOW).recorded()).isFalse();
		assertThat(this.outbox.record(again, delivered(again, "c1"), null, NOW).recorded()).isTrue();
	}

	@Test
	void aReleasedClaimIsFreeForAnotherSenderAtOnce() {
		EventOutbox.Claim first = claim("a", LEASE);

		this.outbox.releaseAll("a");

		assertThat(claim("b", LEASE).event().seq()).isEqualTo(first.event().seq());
	}

	private EventOutbox.Claim claim(String sender, Duration lease) {
		return claim(sender, lease, NOW);
	}

	private EventOutbox.Claim claim(String sender, Duration lease, Instant now) {
		EventOutbox.Next next = this.outbox.claimNext(sender, lease, now);
		assertThat(next).isInstanceOf(EventOutbox.Next.Claimed.class);
		return ((EventOutbox.Next.Claimed) next).claim();
	}

	private static EventOutbox.Attempt delivered(EventOutbox.Claim claim, String correlationId) {
		return new EventOutbox.Attempt(claim.event(), EventStatus.DELIVERED, correlationId, null, null);
	}

}
