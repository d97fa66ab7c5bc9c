package io.bizobs.remediation.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flags, their version, the audit trail and the event outbox in a JDBC database. The single row of
 * {@code flag_version} is updated first in every change, so its row lock orders concurrent
 * writers, in this process and in any other that shares the database.
 */
@Repository
public class FlagStore {

	/** The columns {@link #mapAuditEntry(ResultSet, int)} reads. */
	static final String AUDIT_COLUMNS = "id, created_at, version, flag, previous_value, new_value, reason, problem_id, "
			+ "triggered_by, remediation_type, caller, remote_address, event_status, event_correlation_id, event_error, "
			+ "details, comment_status, comment_error";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	/** Reads all flags as of one moment: their version and values from the same commit. */
	private final TransactionTemplate consistentReads;

	private final JsonMapper jsonMapper;

	private final ChangeNotifier notifier;

	public FlagStore(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper jsonMapper,
			ChangeNotifier notifier) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.consistentReads = new TransactionTemplate(transactions.getTransactionManager());
		this.consistentReads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		this.consistentReads.setReadOnly(true);
		this.jsonMapper = jsonMapper;
		this.notifier = notifier;
	}

	/**
	 * The flags as one commit left them. Under PostgreSQL's default isolation each statement
	 * would see the latest commit, and a change committed between them would pair the version
	 * of one change with the values of another.
	 */
	public StoredFlags load() {
		return this.consistentReads.execute((status) -> read());
	}

	private StoredFlags read() {
		Map<String, StoredFlags.Row> flags = new HashMap<>();
		this.jdbc.sql("SELECT name, value_literal, changed_at, triggered_by, caller, audit_id FROM flag_value")
			.query((rs) -> {
				flags.put(rs.getString("name"), new StoredFlags.Row(rs.getString("value_literal"),
						instant(rs, "changed_at"), rs.getString("triggered_by"), rs.getString("caller"),
						rs.getString("audit_id")));
			});
		Map<String, StoredFlags.Revert> reverts = new HashMap<>();
		this.jdbc.sql("SELECT flag, revert_to, revert_at, audit_id FROM pending_revert").query((rs) -> {
			reverts.put(rs.getString("flag"), new StoredFlags.Revert(rs.getString("revert_to"),
					instant(rs, "revert_at"), rs.getString("audit_id")));
		});
		return this.jdbc.sql("SELECT version, updated_at FROM flag_version WHERE id = 1")
			.query((rs, row) -> new StoredFlags(rs.getLong("version"), instant(rs, "updated_at"), flags, reverts))
			.single();
	}

	/**
	 * Runs work in one transaction that holds the flags' row lock, which orders writers in this
	 * process and in every replica. When another replica changed the flags since the given
	 * version, the work is handed the flags as they are now, read under the lock.
	 */
	public <T> T underLock(long knownVersion, Function<Optional<StoredFlags>, T> work) {
		return this.transactions.execute((status) -> {
			long stored = this.jdbc.sql("SELECT version FROM flag_version WHERE id = 1 FOR UPDATE")
				.query(Long.class)
				.single();
			return work.apply((stored != knownVersion) ? Optional.of(read()) : Optional.empty());
		});
	}

	/**
	 * Stores a change, within {@link #underLock}: the new values and version, one audit entry
	 * per flag with its event if it is to be sent, and the flag's pending revert, which any change
	 * replaces.
	 * @return the flags' version after the change
	 */
	public long write(ChangeRecord change) {
		OffsetDateTime at = offsetDateTime(change.at());
		long version = this.jdbc.sql("SELECT version FROM flag_version WHERE id = 1").query(Long.class).single();
		if (change.valueChange()) {
			version++;
			this.jdbc.sql("UPDATE flag_version SET version = :version, updated_at = :at WHERE id = 1")
				.param("version", version)
				.param("at", at)
				.update();
			this.notifier.changed(version);
		}
		for (ChangeRecord.FlagChangeRow flag : change.flags()) {
			if (change.valueChange()) {
				storeValue(change, flag, at);
			}
			if (change.audited()) {
				audit(change, flag, at, version);
			}
		}
		return version;
	}

	private void storeValue(ChangeRecord change, ChangeRecord.FlagChangeRow flag, OffsetDateTime at) {
		Map<String, Object> params = new HashMap<>();
		params.put("name", flag.flag());
		params.put("value", flag.newValue());
		params.put("at", at);
		params.put("triggeredBy", change.triggeredBy());
		params.put("caller", change.caller());
		params.put("auditId", flag.auditId());
		int updated = this.jdbc
			.sql("UPDATE flag_value SET value_literal = :value, changed_at = :at, triggered_by = :triggeredBy, "
					+ "caller = :caller, audit_id = :auditId WHERE name = :name")
			.params(params)
			.update();
		if (updated == 0) {
			this.jdbc
				.sql("INSERT INTO flag_value (name, value_literal, changed_at, triggered_by, caller, audit_id) "
						+ "VALUES (:name, :value, :at, :triggeredBy, :caller, :auditId)")
				.params(params)
				.update();
		}
		this.jdbc.sql("DELETE FROM pending_revert WHERE flag = :flag").param("flag", flag.flag()).update();
	}

	private void audit(ChangeRecord change, ChangeRecord.FlagChangeRow flag, OffsetDateTime at, long version) {
		this.jdbc.sql("""
				INSERT INTO audit_entry (id, created_at, version, flag, previous_value, new_value, reason,
				  problem_id, triggered_by, remediation_type, caller, remote_address, event_status,
				  counts_for_guard, details, comment_status)
				VALUES (:id, :at, :version, :flag, :previousValue, :newValue, :reason,
				  :problemId, :triggeredBy, :remediationType, :caller, :remoteAddress, :eventStatus,
				  :countsForGuard, :details, :commentStatus)""")
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
			.param("countsForGuard", change.countsForGuard())
			.param("details", change.details().isEmpty() ? null : this.jsonMapper.writeValueAsString(change.details()))
			.param("commentStatus", commenting(change) ? EventStatus.PENDING.name() : null)
			.update();
		if (change.eventStatus() == EventStatus.PENDING) {
			EventOutbox.enqueue(this.jdbc, flag.auditId(), at);
		}
		if (commenting(change)) {
			EventOutbox.enqueueComment(this.jdbc, flag.auditId(), at);
		}
		if (change.valueChange() && change.revertAt() != null) {
			this.jdbc.sql("""
					INSERT INTO pending_revert (flag, revert_to, revert_at, audit_id)
					VALUES (:flag, :revertTo, :revertAt, :auditId)""")
				.param("flag", flag.flag())
				.param("revertTo", flag.previousValue())
				.param("revertAt", offsetDateTime(change.revertAt()))
				.param("auditId", flag.auditId())
				.update();
		}
	}

	/** Whether a record's problem gets a comment: one was asked for, there is a problem, and events are sent. */
	private static boolean commenting(ChangeRecord change) {
		return change.commentOnProblem() && change.problemId() != null && change.eventStatus() == EventStatus.PENDING;
	}

	/** The flags' version in the database, which is ahead of a replica's when another changed them. */
	public long version() {
		return this.jdbc.sql("SELECT version FROM flag_version WHERE id = 1").query(Long.class).single();
	}

	/** One audit entry, as it is now. */
	public AuditEntry auditEntry(String id) {
		return this.jdbc.sql("SELECT " + AUDIT_COLUMNS + " FROM audit_entry WHERE id = :id")
			.param("id", id)
			.query(this::mapAuditEntry)
			.single();
	}

	/** The audit entries with these ids, as they are now, in no set order; one query for them all. */
	public List<AuditEntry> auditEntries(Collection<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT " + AUDIT_COLUMNS + " FROM audit_entry WHERE id IN (:ids)")
			.param("ids", List.copyOf(ids))
			.query(this::mapAuditEntry)
			.list();
	}

	/**
	 * The time of the {@code n}th latest change of a flag by a caller since a time that counts for
	 * the loop guard, or empty when there were fewer: only those {@code n} rows are read, however
	 * many changes the window holds.
	 */
	public Optional<Instant> nthLatestGuardedChange(String flag, String caller, Instant since, int n) {
		return this.jdbc.sql("""
				SELECT created_at FROM audit_entry
				WHERE flag = :flag AND caller = :caller AND counts_for_guard AND created_at > :since
				ORDER BY created_at DESC LIMIT 1 OFFSET :skip""")
			.param("flag", flag)
			.param("caller", caller)
			.param("since", offsetDateTime(since))
			.param("skip", n - 1)
			.query((rs, row) -> instant(rs, "created_at"))
			.optional();
	}

	public List<AuditEntry> audit(AuditQuery query) {
		Map<String, Object> params = new HashMap<>();
		StringBuilder where = new StringBuilder(" WHERE 1 = 1");
		if (query.flag() != null) {
			where.append(" AND flag = :flag");
			params.put("flag", query.flag());
		}
		if (query.triggeredBy() != null) {
			where.append(" AND triggered_by = :triggeredBy");
			params.put("triggeredBy", query.triggeredBy());
		}
		if (query.problemId() != null) {
			where.append(" AND problem_id = :problemId");
			params.put("problemId", query.problemId());
		}
		if (query.since() != null) {
			where.append(" AND created_at >= :since");
			params.put("since", offsetDateTime(query.since()));
		}
		params.put("limit", query.limit());
		return this.jdbc.sql("SELECT " + AUDIT_COLUMNS + " FROM audit_entry" + where + " ORDER BY seq DESC LIMIT :limit")
			.params(params)
			.query(this::mapAuditEntry)
			.list();
	}

	AuditEntry mapAuditEntry(ResultSet rs, int row) throws SQLException {
		return new AuditEntry(rs.getString("id"), instant(rs, "created_at"), rs.getLong("version"),
				rs.getString("flag"), rs.getString("previous_value"), rs.getString("new_value"),
				rs.getString("reason"), rs.getString("problem_id"), rs.getString("triggered_by"),
				rs.getString("remediation_type"), rs.getString("caller"), rs.getString("remote_address"),
				EventStatus.valueOf(rs.getString("event_status")), rs.getString("event_correlation_id"),
				rs.getString("event_error"), details(rs.getString("details")),
				(rs.getString("comment_status") != null) ? EventStatus.valueOf(rs.getString("comment_status")) : null,
				rs.getString("comment_error"));
	}

	private Map<String, String> details(String json) {
		return (json != null) ? this.jsonMapper.readValue(json, new TypeReference<Map<String, String>>() {
		}) : Map.of();
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime offsetDateTime(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
