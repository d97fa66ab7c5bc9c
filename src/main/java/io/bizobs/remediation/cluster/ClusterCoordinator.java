package io.bizobs.remediation.cluster;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.store.ChangeNotifier;
import io.bizobs.remediation.store.DatabaseChanged;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps replicas on a shared PostgreSQL in step, on one connection of its own: it listens for
 * the notification every change sends and tells the flags to refresh (and refreshes now and
 * then in case one was missed), and it holds the cluster's advisory lock while this replica is
 * the leader. PostgreSQL releases the lock when the connection ends, so when the leader dies,
 * another replica takes over within a check interval. With the embedded database there is one
 * replica, which leads.
 */
@Component
public class ClusterCoordinator implements Leadership, ChangeNotifier, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ClusterCoordinator.class);

	private final DataSource dataSource;

	private final ClusterProperties properties;

	private final ApplicationEventPublisher publisher;

	private final boolean postgres;

	private final Background.Loop loop;

	private volatile boolean leader;

	/** The session that listens and holds the lock; the loop's only. */
	private volatile Connection connection;

	private long lastRefresh;

	ClusterCoordinator(DataSource dataSource, ClusterProperties properties, ApplicationEventPublisher publisher,
			Background background) {
		this.dataSource = dataSource;
		this.properties = properties;
		this.publisher = publisher;
		this.postgres = isPostgres(dataSource);
		this.leader = !this.postgres;
		this.loop = background.loop("cluster-coordinator", properties.checkInterval().plusSeconds(2),
				this::coordinate);
	}

	static boolean isPostgres(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			return "PostgreSQL".equals(metaData.getDatabaseProductName());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot reach the database", ex);
		}
	}

	boolean postgres() {
		return this.postgres;
	}

	@Override
	public void changed(long version) {
		if (this.postgres) {
			// Runs on the change's connection, so it is delivered when the change commits.
			JdbcClient.create(this.dataSource)
				.sql("SELECT pg_notify(:channel, :version)")
				.param("channel", this.properties.channel())
				.param("version", Long.toString(version))
				.query((rs) -> {
				});
		}
	}

	@Override
	public boolean isLeader() {
		return this.leader;
	}

	/**
	 * One round: connects and listens if it is not connected, tries to lead if it does not, and
	 * waits up to a check interval for notifications, refreshing the flags on one and now and
	 * then without. A lost connection ends the leadership, and the next round connects again.
	 */
	private Duration coordinate() {
		try {
			if (this.connection == null) {
				listen();
			}
			if (!this.leader) {
				this.leader = tryLock(this.connection);
				if (this.leader) {
					logger.info("[Cluster] This replica is now the leader: it delivers events, reverts and ramps");
				}
			}
			PGNotification[] received = this.connection.unwrap(PGConnection.class)
				.getNotifications((int) this.properties.checkInterval().toMillis());
			boolean due = System.nanoTime() - this.lastRefresh >= this.properties.refreshInterval().toNanos();
			if ((received != null && received.length > 0) || due) {
				this.lastRefresh = System.nanoTime();
				this.publisher.publishEvent(new DatabaseChanged());
			}
			return Duration.ZERO;
		}
		catch (SQLException | RuntimeException ex) {
			if (this.leader) {
				logger.warn("[Cluster] Lost the database connection; no longer the leader", ex);
			}
			disconnect();
			return Duration.ofSeconds(1);
		}
	}

	private void listen() throws SQLException {
		Connection connection = this.dataSource.getConnection();
		this.connection = connection;
		connection.setAutoCommit(true);
		try (Statement listen = connection.createStatement()) {
			listen.execute("LISTEN " + this.properties.channel());
		}
		this.lastRefresh = System.nanoTime();
		// A refresh right away catches changes made while this connection was being set up.
		this.publisher.publishEvent(new DatabaseChanged());
	}

	/** Ends the connection, and with it the lock, so another replica can take over at once. */
	private void disconnect() {
		this.leader = false;
		Connection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// Gone already.
			}
		}
	}

	private boolean tryLock(Connection connection) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			lock.setLong(1, this.properties.lockKey());
			try (ResultSet result = lock.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	@Override
	public void start() {
		if (!this.postgres) {
			releaseClaimsOfEarlierProcesses();
			return;
		}
		this.loop.start();
	}

	/**
	 * With the embedded database this process is the only one that ever opens it, so a claim on
	 * an outbox event was left by an earlier process that died while sending: its event is sent
	 * again at once rather than after the claim's lease.
	 */
	private void releaseClaimsOfEarlierProcesses() {
		try (Connection connection = this.dataSource.getConnection();
				Statement release = connection.createStatement()) {
			int released = release.executeUpdate(
					"UPDATE event_outbox SET claimed_by = NULL, lease_until = NULL WHERE claimed_by IS NOT NULL");
			if (released > 0) {
				logger.warn("[Event API] {} event(s) were being sent when the service last stopped; they are sent "
						+ "again, and Dynatrace may get them twice", released);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot reach the database", ex);
		}
	}

	/** Ends the connection, and with it the lock, so another replica takes over at once. */
	@Override
	public void stop() {
		this.loop.stop();
		disconnect();
	}

	@Override
	public boolean isRunning() {
		return this.loop.isRunning();
	}

	/** Stops after the workers that ask it who leads, and before the connection pool. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
