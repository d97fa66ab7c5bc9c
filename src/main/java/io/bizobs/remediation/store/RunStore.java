package io.bizobs.remediation.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Runbooks' runs and their steps. A run is unique per runbook and problem, a step per run and
 * index, and every move of a run is a conditional update on its state and step, so of two replicas
 * that both try, one does.
 */
@Repository
public class RunStore {

	/** A run still to be moved on: running, or verified and not yet restored. */
	private static final String OPEN = "(state = 'RUNNING' OR (state = 'VERIFIED' AND restored_at IS NULL))";

	private static final String COLUMNS = "id, runbook, problem_id, reason, triggered_by, caller, created_at, state, "
			+ "step, ended_at, outcome, ended_audit_id, restored_at, restored";

	private final JdbcClient jdbc;

	public RunStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a new run, unless the runbook has one for the problem already.
	 * @return whether it was stored; when not, {@link #find(String, String)} finds the one there is
	 */
	public boolean insert(RunRow run) {
		try {
			this.jdbc.sql("INSERT INTO runbook_run (" + COLUMNS + ") VALUES (:id, :runbook, :problemId, :reason, "
					+ ":triggeredBy, :caller, :createdAt, :state, 0, NULL, NULL, NULL, NULL, NULL)")
				.param("id", run.id())
				.param("runbook", run.runbook())
				.param("problemId", run.who().problemId())
				.param("reason", run.who().reason(), Types.VARCHAR)
				.param("triggeredBy", run.who().triggeredBy())
				.param("caller", run.who().caller())
				.param("createdAt", run.createdAt().atOffset(ZoneOffset.UTC))
				.param("state", RunRow.RUNNING)
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Records a step as applied, in the transaction of its change, if the run is still running at
	 * that step and the step was not applied yet.
	 * @return whether this call recorded it
	 */
	public boolean startStep(String runId, int step, String name, Instant at) {
		return this.jdbc.sql("""
				INSERT INTO runbook_step (run_id, step, name, started_at)
				SELECT :runId, :step, :name, :at FROM runbook_run
				WHERE id = :runId AND state = 'RUNNING' AND step = :step
				  AND NOT EXISTS (SELECT 1 FROM runbook_step WHERE run_id = :runId AND step = :step)""")
			.param("runId", runId)
			.param("step", step)
			.param("name", name)
			.param("at", at.atOffset(ZoneOffset.UTC))
			.update() == 1;
	}

	/** Names the guard of a step's change. */
	public void stepGuard(String runId, int step, String guardId) {
		this.jdbc.sql("UPDATE runbook_step SET guard_id = :guardId WHERE run_id = :runId AND step = :step")
			.param("guardId", guardId, Types.VARCHAR)
			.param("runId", runId)
			.param("step", step)
			.update();
	}

	/**
	 * Moves a running run from one step to the next.
	 * @return whether this call moved it
	 */
	public boolean advance(String runId, int from) {
		return this.jdbc.sql("UPDATE runbook_run SET step = :next WHERE id = :id AND state = 'RUNNING' AND step = :from")
			.param("next", from + 1)
			.param("id", runId)
			.param("from", from)
			.update() == 1;
	}

	/**
	 * Ends a running run.
	 * @param endedAuditId the audit entry its end was recorded with, or {@code null}
	 * @return whether this call ended it
	 */
	public boolean end(String runId, String state, Instant at, String outcome, String endedAuditId) {
		return this.jdbc.sql("""
				UPDATE runbook_run SET state = :state, ended_at = :at, outcome = :outcome, ended_audit_id = :auditId
				WHERE id = :id AND state = 'RUNNING'""")
			.param("state", state)
			.param("at", at.atOffset(ZoneOffset.UTC))
			.param("outcome", (outcome.length() > 2000) ? outcome.substring(0, 2000) : outcome)
			.param("auditId", endedAuditId, Types.VARCHAR)
			.param("id", runId)
			.update() == 1;
	}

	/**
	 * Records what came of a verified run's restore, once.
	 * @return whether this call recorded it
	 */
	public boolean restored(String runId, Instant at, String restored) {
		return this.jdbc.sql("""
				UPDATE runbook_run SET restored_at = :at, restored = :restored
				WHERE id = :id AND state = 'VERIFIED' AND restored_at IS NULL""")
			.param("at", at.atOffset(ZoneOffset.UTC))
			.param("restored", (restored.length() > 1000) ? restored.substring(0, 1000) : restored)
			.param("id", runId)
			.update() == 1;
	}

	public Optional<RunRow> find(String id) {
		return query(" WHERE id = :id", Map.of("id", id)).stream().findFirst();
	}

	/** The run of a runbook for a problem, if it has one. */
	public Optional<RunRow> find(String runbook, String problemId) {
		return query(" WHERE runbook = :runbook AND problem_id = :problemId",
				Map.of("runbook", runbook, "problemId", problemId))
			.stream()
			.findFirst();
	}

	/** How many runs are open, and how many of all this caller started since then. */
	public Counts counts(String caller, Instant since) {
		return this.jdbc.sql("SELECT (SELECT COUNT(*) FROM runbook_run WHERE " + OPEN + ") AS open_runs, "
				+ "(SELECT COUNT(*) FROM runbook_run WHERE caller = :caller AND created_at > :since) AS started")
			.param("caller", caller)
			.param("since", since.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> new Counts(rs.getInt("open_runs"), rs.getInt("started")))
			.single();
	}

	/**
	 * @param open runs open now
	 * @param started runs the caller started in the time asked about
	 */
	public record Counts(int open, int started) {
	}

	/** The runs still to be moved on: running, or verified and not yet restored; oldest first. */
	public List<RunRow> open() {
		return query(" WHERE " + OPEN + " ORDER BY created_at", Map.of());
	}

	/**
	 * Runs newest first.
	 * @param problemId only those for this problem, or {@code null}
	 * @param state only those in this state, or {@code null}
	 * @param openOnly only those still to be moved on ({@link #open()})
	 */
	public List<RunRow> recent(String problemId, String state, boolean openOnly, int limit) {
		StringBuilder where = new StringBuilder(" WHERE 1 = 1");
		Map<String, Object> params = new HashMap<>();
		if (problemId != null) {
			where.append(" AND problem_id = :problemId");
			params.put("problemId", problemId);
		}
		if (state != null) {
			where.append(" AND state = :state");
			params.put("state", state);
		}
		if (openOnly) {
			where.append(" AND ").append(OPEN);
		}
		params.put("limit", limit);
		return query(where + " ORDER BY created_at DESC LIMIT :limit", params);
	}

	private List<RunRow> query(String where, Map<String, Object> params) {
		Map<String, RunRow> runs = new LinkedHashMap<>();
		this.jdbc.sql("SELECT " + COLUMNS + " FROM runbook_run" + where).params(params).query((rs) -> {
			runs.put(rs.getString("id"), run(rs));
		});
		if (runs.isEmpty()) {
			return List.of();
		}
		Map<String, List<RunRow.Step>> steps = new HashMap<>();
		this.jdbc.sql("SELECT run_id, step, name, started_at, guard_id FROM runbook_step WHERE run_id IN (:ids) "
				+ "ORDER BY step")
			.param("ids", List.copyOf(runs.keySet()))
			.query((rs) -> {
				steps.computeIfAbsent(rs.getString("run_id"), (id) -> new ArrayList<>())
					.add(new RunRow.Step(rs.getInt("step"), rs.getString("name"), FlagStore.instant(rs, "started_at"),
							rs.getString("guard_id")));
			});
		return runs.values()
			.stream()
			.map((run) -> new RunRow(run.id(), run.runbook(), run.who(), run.createdAt(), run.state(), run.step(),
					run.endedAt(), run.outcome(), run.endedAuditId(), run.restoredAt(), run.restored(), steps.getOrDefault(run.id(), List.of())))
			.toList();
	}

	private static RunRow run(ResultSet rs) throws SQLException {
		return new RunRow(rs.getString("id"), rs.getString("runbook"),
				new ChangeRecord.Who(rs.getString("reason"), rs.getString("problem_id"), rs.getString("triggered_by"),
						rs.getString("caller"), null),
				FlagStore.instant(rs, "created_at"), rs.getString("state"), rs.getInt("step"),
				FlagStore.instant(rs, "ended_at"), rs.getString("outcome"), rs.getString("ended_audit_id"),
				FlagStore.instant(rs, "restored_at"), rs.getString("restored"), List.of());
	}

}
