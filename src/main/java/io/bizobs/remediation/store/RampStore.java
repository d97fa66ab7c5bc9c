package io.bizobs.remediation.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Error-rate ramps, so a running one resumes after a restart.
 */
@Repository
public class RampStore {

	private final JdbcClient jdbc;

	public RampStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a ramp. The database refuses a second running one (a unique constraint), so the
	 * caller ends the running one first, under the flags' row lock.
	 */
	public void insert(RampRow ramp) {
		this.jdbc.sql("""
				INSERT INTO error_rate_ramp (id, from_rate, to_rate, started_at, ends_at, status, running, reason,
				  problem_id, triggered_by, caller, remote_address)
				VALUES (:id, :from, :to, :startedAt, :endsAt, :status, :running, :reason, :problemId, :triggeredBy,
				  :caller, :remoteAddress)""")
			.param("id", ramp.id())
			.param("from", ramp.from())
			.param("to", ramp.to())
			.param("startedAt", ramp.startedAt().atOffset(ZoneOffset.UTC))
			.param("endsAt", ramp.endsAt().atOffset(ZoneOffset.UTC))
			.param("status", ramp.status())
			.param("running", "RUNNING".equals(ramp.status()) ? Boolean.TRUE : null, Types.BOOLEAN)
			.param("reason", ramp.reason())
			.param("problemId", ramp.problemId())
			.param("triggeredBy", ramp.triggeredBy())
			.param("caller", ramp.caller())
			.param("remoteAddress", ramp.remoteAddress())
			.update();
	}

	/**
	 * Ends a running ramp.
	 * @return whether this call ended it; false when it had ended already, on this replica or another
	 */
	public boolean finish(RampRow ramp) {
		return this.jdbc.sql("""
				UPDATE error_rate_ramp SET status = :status, running = NULL, finished_at = :at, final_rate = :rate
				WHERE id = :id AND status = 'RUNNING'""")
			.param("status", ramp.status())
			.param("at", ramp.finishedAt().atOffset(ZoneOffset.UTC))
			.param("rate", ramp.finalRate())
			.param("id", ramp.id())
			.update() == 1;
	}

	public Optional<RampRow> find(String id) {
		return this.jdbc.sql("SELECT * FROM error_rate_ramp WHERE id = :id")
			.param("id", id)
			.query(RampStore::ramp)
			.optional();
	}

	/** The running ramp, or else the one that started last. */
	public Optional<RampRow> latest() {
		return this.jdbc.sql("""
				SELECT * FROM error_rate_ramp
				ORDER BY CASE WHEN status = 'RUNNING' THEN 0 ELSE 1 END, started_at DESC
				LIMIT 1""").query(RampStore::ramp).optional();
	}

	private static RampRow ramp(ResultSet rs, int row) throws SQLException {
		return new RampRow(rs.getString("id"), rs.getDouble("from_rate"), rs.getDouble("to_rate"),
				FlagStore.instant(rs, "started_at"), FlagStore.instant(rs, "ends_at"), rs.getString("status"),
				FlagStore.instant(rs, "finished_at"), rs.getObject("final_rate", Double.class), rs.getString("reason"),
				rs.getString("problem_id"), rs.getString("triggered_by"), rs.getString("caller"),
				rs.getString("remote_address"));
	}

}
