package io.bizobs.remediation.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flags, their version, the audit trail and the event outbox in a JDBC database. The single row of
 * {@code flag_version} is updated first in every change, so its row lock orders concurrent
 * writers, in this process and in any other that shares the database.
 */
@Repository
public class FlagStore {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	public FlagStore(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	public StoredFlags load() {
		return this.transactions.execute((status) -> read());
	}

	private StoredFlags read() {
		Map<String, StoredFlags.Row> flags = new HashMap<>();
		this.jdbc.sql("SELECT name, value_literal, changed_at, triggered_by, caller, audit_id FROM flag_value")
			.query((rs) -> {
				flags.put(rs.getString("name"), new StoredFlags.Row(rs.getString("value_literal"),
						instant(rs, "changed_at"), rs.getString("triggered_by"), rs.getString("caller"),
						rs.getString("audit_id")));
			});
		return this.jdbc.sql("SELECT version, updated_at FROM flag_version WHERE id = 1")
			.query((rs, row) -> new StoredFlags(rs.getLong("version"), instant(rs, "updated_at"), flags))
			.single();
	}

	/**
	 * Stores a change: the new values, one audit entry per flag, their events if they are to be
	 * sent, and the new version, all or nothing.
	 * @return the new version
	 */
	public long commit(ChangeRecord change) {
		return this.transactions.execute((status) -> insert(change));
	}

	private long insert(ChangeRecord change) {
		OffsetDateTime at = offsetDateTime(change.at());
		this.jdbc.sql("UPDATE flag_version SET version = version + 1, updated_at = :at WHERE id = 1")
			.param("at", at)
			.update();
		long version = this.jdbc.sql("SELECT version FROM flag_version WHERE id = 1").query(Long.class).single();
		for (ChangeRecord.FlagChangeRow flag : change.flags()) {
			int updated = this.jdbc
				.sql("UPDATE flag_value SET value_literal = :value, changed_at = :at, triggered_by = :triggeredBy, "
						+ "caller = :caller, audit_id = :auditId WHERE name = :name")
				.params(flagParams(change, flag, at))
				.update();
			if (updated == 0) {
				this.jdbc
					.sql("INSERT INTO flag_value (name, value_literal, changed_at, triggered_by, caller, audit_id) "
							+ "VALUES (:name, :value, :at, :triggeredBy, :caller, :auditId)")
					.params(flagParams(change, flag, at))
					.update();
			}
			this.jdbc.sql("""
					INSERT INTO audit_entry (id, created_at, version, flag, previous_value, new_value, reason,
					  problem_id, triggered_by, remediation_type, caller, remote_address, event_status)
					VALUES (:id, :at, :version, :flag, :previousValue, :newValue, :reason,
					  :problemId, :triggeredBy, :remediationType, :caller, :remoteAddress, :eventStatus)""")
				.param("id", flag.auditId())
				.param("at", at)
				.param("version", version)
				.param("flag", flag.flag())
				.param("previousValue", flag.previousValue())
				.param("newValue", flag.newValue())
				.param("reason", change.reason())
				.param("problemId", change.problemId())
				.param("triggeredBy", change.triggeredBy())
				.param("remediationType", change.remediationType())
				.param("caller", change.caller())
				.param("remoteAddress", change.remoteAddress())
				.param("eventStatus", change.eventStatus().name())
				.update();
			if (change.eventStatus() == EventStatus.PENDING) {
				EventOutbox.enqueue(this.jdbc, flag.auditId(), at);
			}
		}
		return version;
	}

	private static Map<String, Object> flagParams(ChangeRecord change, ChangeRecord.FlagChangeRow flag,
			OffsetDateTime at) {
		return Map.of("name", flag.flag(), "value", flag.newValue(), "at", at, "triggeredBy", change.triggeredBy(),
				"caller", change.caller(), "auditId", flag.auditId());
	}

	public List<AuditEntry> audit(AuditQuery query) {
		Map<String, Object> params = new HashMap<>();
		StringBuilder where = new StringBuilder(" WHERE 1 = 1");
		if (query.flag() != null) {
			where.append(" AND flag = :flag");
			params.put("flag", query.flag());
		}
		if (query.since() != null) {
			where.append(" AND created_at >= :since");
			params.put("since", offsetDateTime(query.since()));
		}
		params.put("limit", query.limit());
		return this.jdbc.sql("""
				SELECT id, created_at, version, flag, previous_value, new_value, reason, problem_id, triggered_by,
				  remediation_type, caller, remote_address, event_status, event_correlation_id, event_error
				FROM audit_entry""" + where + " ORDER BY seq DESC LIMIT :limit")
			.params(params)
			.query(FlagStore::auditEntry)
			.list();
	}

	static AuditEntry auditEntry(ResultSet rs, int row) throws SQLException {
		return new AuditEntry(rs.getString("id"), instant(rs, "created_at"), rs.getLong("version"),
				rs.getString("flag"), rs.getString("previous_value"), rs.getString("new_value"),
				rs.getString("reason"), rs.getString("problem_id"), rs.getString("triggered_by"),
				rs.getString("remediation_type"), rs.getString("caller"), rs.getString("remote_address"),
				EventStatus.valueOf(rs.getString("event_status")), rs.getString("event_correlation_id"),
				rs.getString("event_error"));
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime offsetDateTime(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
