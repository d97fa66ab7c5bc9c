package io.bizobs.remediation.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The events, and comments on problems, that still have to reach Dynatrace. Rows are written by
 * {@link FlagStore} in the transaction of their change; what became of each is kept in its audit
 * entry.
 */
@Repository
public class EventOutbox {

	private static final int MAX_ERROR_LENGTH = 2000;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final FlagStore flags;

	public EventOutbox(JdbcClient jdbc, TransactionTemplate transactions, FlagStore flags) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.flags = flags;
	}

	/**
	 * Claims the oldest event for a sender, in a transaction of its own, if it is due and no
	 * other sender holds an unexpired claim on it. Every claim gets a new, higher token, which
	 * fences off the claims before it: {@link #record} only records under the latest token.
	 * Only the oldest event is ever claimed, so events go out in order.
	 * @param sender who claims it (one id per process)
	 * @param lease how long the claim holds, in the database's time
	 * @param now the sender's time, which the events' next attempts are in
	 * @return what the sender may do next
	 */
	public Next claimNext(String sender, Duration lease, Instant now) {
		return this.transactions.execute((status) -> claimOldest(sender, lease, now));
	}

	private Next claimOldest(String sender, Duration lease, Instant now) {
		PendingEvent event = oldest(1).stream().findFirst().orElse(null);
		if (event == null) {
			return new Next.Empty();
		}
		if (event.nextAttemptAt().isAfter(now)) {
			return new Next.NotDue(event.nextAttemptAt());
		}
		int claimed = this.jdbc.sql("""
				UPDATE event_outbox
				SET claimed_by = :sender, claim_token = claim_token + 1,
				  lease_until = CURRENT_TIMESTAMP + CAST(:leaseMillis AS INTEGER) * INTERVAL '0.001' SECOND
				WHERE seq = :seq
				  AND (claimed_by IS NULL OR claimed_by = :sender OR lease_until < CURRENT_TIMESTAMP)""")
			.param("sender", sender)
			.param("leaseMillis", lease.toMillis())
			.param("seq", event.seq())
			.update();
		if (claimed == 0) {
			return new Next.Held();
		}
		long token = this.jdbc.sql("SELECT claim_token FROM event_outbox WHERE seq = :seq")
			.param("seq", event.seq())
			.query(Long.class)
			.single();
		return new Next.Claimed(new Claim(event, sender, token));
	}

	/** What a sender may do next. */
	public sealed interface Next {

		/** Send this event: this sender holds it. */
		record Claimed(Claim claim) implements Next {
		}

		/** The oldest event waits for its next attempt, at this time. */
		record NotDue(Instant at) implements Next {
		}

		/** Another sender holds the oldest event; its outcome or the end of its lease comes first. */
		record Held() implements Next {
		}

		/** Nothing to send. */
		record Empty() implements Next {
		}

	}

	/**
	 * Gives a claim up without an attempt, so another sender need not wait for its lease.
	 */
	public void release(Claim claim) {
		this.jdbc.sql("""
				UPDATE event_outbox SET claimed_by = NULL, lease_until = NULL
				WHERE seq = :seq AND claimed_by = :sender AND claim_token = :token""")
			.param("seq", claim.event().seq())
			.param("sender", claim.sender())
			.param("token", claim.token())
			.update();
	}

	/** Gives up every claim of a sender, which has nothing in flight. */
	public void releaseAll(String sender) {
		this.jdbc.sql("UPDATE event_outbox SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = :sender")
			.param("sender", sender)
			.update();
	}

	/**
	 * A sender's claim on one event.
	 *
	 * @param event the event
	 * @param sender who holds it
	 * @param token the fencing token: only the latest claim's outcome is recorded
	 */
	public record Claim(PendingEvent event, String sender, long token) {
	}

	/** The oldest pending deliveries, events and comments, in the order they were written. */
	public List<PendingEvent> oldest(int limit) {
		return this.jdbc.sql("SELECT o.seq, o.attempts, o.next_attempt_at, o.comment_of, a."
				+ FlagStore.AUDIT_COLUMNS.replace(", ", ", a.")
				+ " FROM event_outbox o JOIN audit_entry a ON a.id = COALESCE(o.audit_id, o.comment_of)"
				+ " ORDER BY o.seq LIMIT :limit")
			.param("limit", limit)
			.query((rs, row) -> new PendingEvent(rs.getLong("seq"), rs.getInt("attempts"),
					FlagStore.instant(rs, "next_attempt_at"), this.flags.mapAuditEntry(rs, row),
					rs.getString("comment_of") != null))
			.list();
	}

	public long pendingCount() {
		return this.jdbc.sql("SELECT COUNT(*) FROM event_outbox").query(Long.class).single();
	}

	/**
	 * Records what became of one delivery attempt, if the claim it was made under is still the
	 * latest: an accepted or refused event leaves the outbox and its audit entry keeps the
	 * outcome; one worth retrying stays, unclaimed, with its next attempt's time. In the same
	 * transaction, so that each event costs one commit, the sender may claim the next event.
	 * @param next the lease of the next claim, or {@code null} to claim nothing
	 * @param now the sender's time
	 * @return whether the outcome was recorded (false when the claim had been taken over, after
	 * its lease ran out: the event stays with the sender that claimed it since), and the next claim
	 */
	public Recorded record(Claim claim, Attempt attempt, Duration next, Instant now) {
		return this.transactions.execute((status) -> {
			boolean recorded = recordUnder(claim, attempt);
			return new Recorded(recorded, (next != null) ? claimOldest(claim.sender(), next, now) : null);
		});
	}

	/**
	 * @param recorded whether the outcome was stored
	 * @param next what the sender may do next, or {@code null} when it asked for no claim
	 */
	public record Recorded(boolean recorded, Next next) {
	}

	private boolean recordUnder(Claim claim, Attempt attempt) {
		if (attempt.outcome() == EventStatus.PENDING) {
			int updated = this.jdbc.sql("""
					UPDATE event_outbox
					SET attempts = attempts + 1, next_attempt_at = :next, claimed_by = NULL, lease_until = NULL
					WHERE seq = :seq AND claimed_by = :sender AND claim_token = :token""")
				.param("next", attempt.nextAttemptAt().atOffset(ZoneOffset.UTC))
				.param("seq", claim.event().seq())
				.param("sender", claim.sender())
				.param("token", claim.token())
				.update();
			if (updated == 0) {
				return false;
			}
			this.jdbc.sql("UPDATE audit_entry SET " + (attempt.event().comment() ? "comment_error" : "event_error")
					+ " = :error WHERE id = :id")
				.param("error", cut(attempt.error()))
				.param("id", attempt.event().change().id())
				.update();
			return true;
		}
		int deleted = this.jdbc
			.sql("DELETE FROM event_outbox WHERE seq = :seq AND claimed_by = :sender AND claim_token = :token")
			.param("seq", claim.event().seq())
			.param("sender", claim.sender())
			.param("token", claim.token())
			.update();
		if (deleted == 0) {
			return false;
		}
		if (attempt.event().comment()) {
			this.jdbc.sql("UPDATE audit_entry SET comment_status = :status, comment_error = :error WHERE id = :id")
				.param("status", attempt.outcome().name())
				.param("error", cut(attempt.error()))
				.param("id", attempt.event().change().id())
				.update();
			return true;
		}
		this.jdbc.sql("""
				UPDATE audit_entry SET event_status = :status, event_correlation_id = :correlationId,
				  event_error = :error
				WHERE id = :id""")
			.param("status", attempt.outcome().name())
			.param("correlationId", attempt.correlationId())
			.param("error", cut(attempt.error()))
			.param("id", attempt.event().change().id())
			.update();
		return true;
	}

	/**
	 * One delivery attempt's outcome.
	 *
	 * @param event the event
	 * @param outcome {@code DELIVERED}, {@code FAILED} for good, or {@code PENDING} to retry
	 * @param correlationId Dynatrace's id, once delivered
	 * @param error what went wrong, or {@code null}
	 * @param nextAttemptAt when to retry a pending event
	 */
	public record Attempt(PendingEvent event, EventStatus outcome, String correlationId, String error,
			Instant nextAttemptAt) {
	}

	static void enqueue(JdbcClient jdbc, String auditId, OffsetDateTime at) {
		jdbc.sql("INSERT INTO event_outbox (audit_id, next_attempt_at) VALUES (:auditId, :at)")
			.param("auditId", auditId)
			.param("at", at)
			.update();
	}

	/** A comment on the problem of an audit entry, delivered after its event. */
	static void enqueueComment(JdbcClient jdbc, String auditId, OffsetDateTime at) {
		jdbc.sql("INSERT INTO event_outbox (comment_of, next_attempt_at) VALUES (:auditId, :at)")
			.param("auditId", auditId)
			.param("at", at)
			.update();
	}

	private static String cut(String error) {
		return (error != null && error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
	}

}
