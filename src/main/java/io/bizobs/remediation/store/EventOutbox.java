package io.bizobs.remediation.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The events that still have to reach Dynatrace. Rows are written by {@link FlagStore} in the
 * transaction of their change; what became of each event is kept in its audit entry.
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

	/** The oldest pending events, in the order they were written. */
	public List<PendingEvent> oldest(int limit) {
		return this.jdbc.sql("SELECT o.seq, o.attempts, o.next_attempt_at, a." + FlagStore.AUDIT_COLUMNS.replace(", ", ", a.")
				+ " FROM event_outbox o JOIN audit_entry a ON a.id = o.audit_id ORDER BY o.seq LIMIT :limit")
			.param("limit", limit)
			.query((rs, row) -> new PendingEvent(rs.getLong("seq"), rs.getInt("attempts"),
					FlagStore.instant(rs, "next_attempt_at"), this.flags.mapAuditEntry(rs, row)))
			.list();
	}

	public long pendingCount() {
		return this.jdbc.sql("SELECT COUNT(*) FROM event_outbox").query(Long.class).single();
	}

	/**
	 * Records what became of delivery attempts, all in one transaction: an accepted or refused
	 * event leaves the outbox and its audit entry keeps the outcome; one worth retrying stays,
	 * with its next attempt's time.
	 */
	public void record(List<Attempt> attempts) {
		if (attempts.isEmpty()) {
			return;
		}
		this.transactions.executeWithoutResult((status) -> attempts.forEach(this::record));
	}

	private void record(Attempt attempt) {
		if (attempt.outcome() == EventStatus.PENDING) {
			this.jdbc.sql("UPDATE event_outbox SET attempts = attempts + 1, next_attempt_at = :next WHERE seq = :seq")
				.param("next", attempt.nextAttemptAt().atOffset(ZoneOffset.UTC))
				.param("seq", attempt.event().seq())
				.update();
			this.jdbc.sql("UPDATE audit_entry SET event_error = :error WHERE id = :id")
				.param("error", cut(attempt.error()))
				.param("id", attempt.event().change().id())
				.update();
			return;
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
		this.jdbc.sql("DELETE FROM event_outbox WHERE seq = :seq").param("seq", attempt.event().seq()).update();
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

	private static String cut(String error) {
		return (error != null && error.length() > MAX_ERROR_LENGTH) ? error.substring(0, MAX_ERROR_LENGTH) : error;
	}

}
