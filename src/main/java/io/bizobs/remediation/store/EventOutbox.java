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

	/** Dynatrace accepted the event. */
	public void delivered(PendingEvent event, String correlationId) {
		finish(event, EventStatus.DELIVERED, correlationId, null);
	}

	/** Dynatrace refused the event for good; it is not sent again. */
	public void failed(PendingEvent event, String error) {
		finish(event, EventStatus.FAILED, null, error);
	}

	/** The attempt failed in a way worth retrying; the event stays pending until the given time. */
	public void retryLater(PendingEvent event, Instant nextAttemptAt, String error) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("UPDATE event_outbox SET attempts = attempts + 1, next_attempt_at = :next WHERE seq = :seq")
				.param("next", nextAttemptAt.atOffset(ZoneOffset.UTC))
				.param("seq", event.seq())
				.update();
			this.jdbc.sql("UPDATE audit_entry SET event_error = :error WHERE id = :id")
				.param("error", cut(error))
				.param("id", event.change().id())
				.update();
		});
	}

	private void finish(PendingEvent event, EventStatus outcome, String correlationId, String error) {
		this.transactions.executeWithoutResult((status) -> {
			this.jdbc.sql("""
					UPDATE audit_entry SET event_status = :status, event_correlation_id = :correlationId,
					  event_error = :error
					WHERE id = :id""")
				.param("status", outcome.name())
				.param("correlationId", correlationId)
				.param("error", cut(error))
				.param("id", event.change().id())
				.update();
			this.jdbc.sql("DELETE FROM event_outbox WHERE seq = :seq").param("seq", event.seq()).update();
		});
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
