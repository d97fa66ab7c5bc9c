package io.bizobs.remediation.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Guarded changes, so that watching them survives restarts, crashes and leader moves, and each
 * verdict is given once: every step of a guard is a conditional update on its state, so of two
 * replicas that both try, one does and the other learns it did not.
 */
@Repository
public class GuardStore {

	private static final String COLUMNS = "id, created_at, version, problem_id, reason, triggered_by, caller, "
			+ "expectation, baseline, settle_until, deadline, revert_after_seconds, labels, state, samples, samples_with_data, "
			+ "good_in_a_row, worse_in_a_row, last_sample, verdict, verdict_at, evidence, action, verdict_audit_id, "
			+ "revert_at, ended_at";

	private final JdbcClient jdbc;

	public GuardStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a new guard, in the transaction of its change. A guard still watching one of its flags
	 * ends first, superseded: the flag has moved, so that guard can no longer judge its change.
	 * @return the ids of the guards it superseded
	 */
	public List<String> insert(GuardRow guard) {
		List<String> superseded = supersedeWatching(guard.flags().stream().map(GuardRow.GuardedFlag::flag).toList(),
				guard.createdAt(), "superseded by guard " + guard.id());
		this.jdbc.sql("INSERT INTO guard (" + COLUMNS + ") VALUES (:id, :createdAt, :version, :problemId, :reason, "
				+ ":triggeredBy, :caller, :expectation, :baseline, :settleUntil, :deadline, :revertAfterSeconds, "
				+ ":labels, :state, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")
			.param("id", guard.id())
			.param("createdAt", at(guard.createdAt()))
			.param("version", guard.version())
			.param("problemId", guard.who().problemId(), Types.VARCHAR)
			.param("reason", guard.who().reason(), Types.VARCHAR)
			.param("triggeredBy", guard.who().triggeredBy())
			.param("caller", guard.who().caller())
			.param("expectation", guard.expectation())
			.param("baseline", guard.baseline(), Types.VARCHAR)
			.param("settleUntil", at(guard.settleUntil()))
			.param("deadline", at(guard.deadline()))
			.param("revertAfterSeconds", guard.revertAfterSeconds(), Types.BIGINT)
			.param("labels", guard.labels(), Types.VARCHAR)
			.param("state", GuardRow.WATCHING)
			.update();
		for (GuardRow.GuardedFlag flag : guard.flags()) {
			this.jdbc.sql("""
					INSERT INTO guard_flag (guard_id, flag, audit_id, previous_value, new_value, watched)
					VALUES (:guardId, :flag, :auditId, :previousValue, :newValue, TRUE)""")
				.param("guardId", guard.id())
				.param("flag", flag.flag())
				.param("auditId", flag.auditId())
				.param("previousValue", flag.previousValue())
				.param("newValue", flag.newValue())
				.update();
		}
		return superseded;
	}

	/**
	 * Ends, as superseded, the guards still watching any of these flags.
	 * @return their ids
	 */
	public List<String> supersedeWatching(Collection<String> flags, Instant at, String action) {
		if (flags.isEmpty()) {
			return List.of();
		}
		List<String> ids = this.jdbc.sql("SELECT DISTINCT guard_id FROM guard_flag WHERE watched AND flag IN (:flags)")
			.param("flags", List.copyOf(flags))
			.query(String.class)
			.list();
		List<String> superseded = new ArrayList<>();
		for (String id : ids) {
			if (end(id, "SUPERSEDED", at, action)) {
				superseded.add(id);
			}
		}
		return superseded;
	}

	/**
	 * Ends a guard that has not ended yet; a guard without a verdict gets the given one.
	 * @return whether this call ended it
	 */
	public boolean end(String id, String verdictIfNone, Instant at, String action) {
		int ended = this.jdbc.sql("""
				UPDATE guard SET state = 'ENDED', ended_at = :at, action = :action,
				  verdict = COALESCE(verdict, :verdict), verdict_at = COALESCE(verdict_at, :at)
				WHERE id = :id AND state <> 'ENDED'""")
			.param("at", at(at))
			.param("action", cut(action, 1000))
			.param("verdict", verdictIfNone, Types.VARCHAR)
			.param("id", id)
			.update();
		if (ended == 1) {
			unwatch(id);
		}
		return ended == 1;
	}

	/**
	 * Records a sample of a guard still watching.
	 * @return whether it was still watching
	 */
	public boolean progress(String id, GuardRow.Progress progress) {
		return this.jdbc.sql("""
				UPDATE guard SET samples = :samples, samples_with_data = :withData, good_in_a_row = :good,
				  worse_in_a_row = :worse, last_sample = :lastSample
				WHERE id = :id AND state = 'WATCHING'""")
			.param("samples", progress.samples())
			.param("withData", progress.samplesWithData())
			.param("good", progress.goodInARow())
			.param("worse", progress.worseInARow())
			.param("lastSample", cut(progress.lastSample(), 1000), Types.VARCHAR)
			.param("id", id)
			.update() == 1;
	}

	/**
	 * Gives a watching guard its verdict, and moves it to holding (a verified change whose revert
	 * waits) or to its end. Of two replicas that both try, one does.
	 * @return whether this call gave it
	 */
	public boolean conclude(String id, GuardRow.Progress progress, GuardRow.Outcome outcome) {
		boolean ends = GuardRow.ENDED.equals(progress.state());
		int concluded = this.jdbc.sql("""
				UPDATE guard SET state = :state, samples = :samples, samples_with_data = :withData,
				  good_in_a_row = :good, worse_in_a_row = :worse, last_sample = :lastSample, verdict = :verdict,
				  verdict_at = :verdictAt, evidence = :evidence, action = :action, verdict_audit_id = :verdictAuditId,
				  revert_at = :revertAt, ended_at = :endedAt
				WHERE id = :id AND state = 'WATCHING'""")
			.param("state", progress.state())
			.param("samples", progress.samples())
			.param("withData", progress.samplesWithData())
			.param("good", progress.goodInARow())
			.param("worse", progress.worseInARow())
			.param("lastSample", cut(progress.lastSample(), 1000), Types.VARCHAR)
			.param("verdict", outcome.verdict(), Types.VARCHAR)
			.param("verdictAt", at(outcome.verdictAt()), Types.TIMESTAMP_WITH_TIMEZONE)
			.param("evidence", cut(outcome.evidence(), 4000), Types.VARCHAR)
			.param("action", cut(outcome.action(), 1000), Types.VARCHAR)
			.param("verdictAuditId", outcome.verdictAuditId(), Types.VARCHAR)
			.param("revertAt", at(outcome.revertAt()), Types.TIMESTAMP_WITH_TIMEZONE)
			.param("endedAt", ends ? at(outcome.verdictAt()) : null, Types.TIMESTAMP_WITH_TIMEZONE)
			.param("id", id)
			.update();
		if (concluded == 1 && ends) {
			unwatch(id);
		}
		return concluded == 1;
	}

	private void unwatch(String id) {
		this.jdbc.sql("UPDATE guard_flag SET watched = NULL WHERE guard_id = :id").param("id", id).update();
	}

	/** The guards that have not ended, oldest first. */
	public List<GuardRow> unfinished() {
		return query(" WHERE state <> 'ENDED' ORDER BY created_at", Map.of());
	}

	/** The guards newest first; only those that have not ended, if asked. */
	public List<GuardRow> recent(int limit, boolean unfinishedOnly) {
		return query((unfinishedOnly ? " WHERE state <> 'ENDED'" : "") + " ORDER BY created_at DESC LIMIT :limit",
				Map.of("limit", limit));
	}

	public Optional<GuardRow> find(String id) {
		return query(" WHERE id = :id", Map.of("id", id)).stream().findFirst();
	}

	/** The guard watching a flag now, if any. */
	public Optional<GuardRow> watching(String flag) {
		return query(" WHERE id IN (SELECT guard_id FROM guard_flag WHERE flag = :flag AND watched)",
				Map.of("flag", flag)).stream().findFirst();
	}

	/** The guards of the changes with these audit entries, by audit id. */
	public Map<String, GuardRow> byAuditIds(Collection<String> auditIds) {
		if (auditIds.isEmpty()) {
			return Map.of();
		}
		Map<String, GuardRow> byAuditId = new HashMap<>();
		for (GuardRow guard : query(" WHERE id IN (SELECT guard_id FROM guard_flag WHERE audit_id IN (:ids))",
				Map.of("ids", List.copyOf(auditIds)))) {
			guard.flags().forEach((flag) -> byAuditId.put(flag.auditId(), guard));
		}
		return byAuditId;
	}

	private List<GuardRow> query(String where, Map<String, Object> params) {
		Map<String, List<GuardRow.GuardedFlag>> flags = new HashMap<>();
		Map<String, GuardRow> guards = new LinkedHashMap<>();
		this.jdbc.sql("SELECT " + COLUMNS + " FROM guard" + where).params(params).query((rs) -> {
			guards.put(rs.getString("id"), guard(rs, List.of()));
		});
		if (guards.isEmpty()) {
			return List.of();
		}
		this.jdbc.sql("SELECT guard_id, flag, audit_id, previous_value, new_value FROM guard_flag "
				+ "WHERE guard_id IN (:ids) ORDER BY flag")
			.param("ids", List.copyOf(guards.keySet()))
			.query((rs) -> {
				flags.computeIfAbsent(rs.getString("guard_id"), (id) -> new ArrayList<>())
					.add(new GuardRow.GuardedFlag(rs.getString("flag"), rs.getString("audit_id"),
							rs.getString("previous_value"), rs.getString("new_value")));
			});
		return guards.values()
			.stream()
			.map((guard) -> new GuardRow(guard.id(), guard.createdAt(), guard.version(), guard.who(),
					guard.expectation(), guard.baseline(), guard.settleUntil(), guard.deadline(),
					guard.revertAfterSeconds(), guard.labels(), flags.getOrDefault(guard.id(), List.of()),
					guard.progress(),
					guard.outcome()))
			.toList();
	}

	private static GuardRow guard(ResultSet rs, List<GuardRow.GuardedFlag> flags) throws SQLException {
		return new GuardRow(rs.getString("id"), FlagStore.instant(rs, "created_at"), rs.getLong("version"),
				new ChangeRecord.Who(rs.getString("reason"), rs.getString("problem_id"), rs.getString("triggered_by"),
						rs.getString("caller"), null),
				rs.getString("expectation"), rs.getString("baseline"), FlagStore.instant(rs, "settle_until"),
				FlagStore.instant(rs, "deadline"), rs.getObject("revert_after_seconds", Long.class),
				rs.getString("labels"), flags,
				new GuardRow.Progress(rs.getString("state"), rs.getInt("samples"), rs.getInt("samples_with_data"),
						rs.getInt("good_in_a_row"), rs.getInt("worse_in_a_row"), rs.getString("last_sample")),
				new GuardRow.Outcome(rs.getString("verdict"), FlagStore.instant(rs, "verdict_at"),
						rs.getString("evidence"), rs.getString("action"), rs.getString("verdict_audit_id"),
						FlagStore.instant(rs, "revert_at"), FlagStore.instant(rs, "ended_at")));
	}

	private static OffsetDateTime at(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static String cut(String text, int max) {
		return (text != null && text.length() > max) ? text.substring(0, max) : text;
	}

}
