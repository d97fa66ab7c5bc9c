package io.bizobs.remediation.cluster;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Which database the flags live in, and whether this replica leads.
 */
@Component("cluster")
class ClusterHealthIndicator extends AbstractHealthIndicator {

	private final ClusterCoordinator cluster;

	ClusterHealthIndicator(ClusterCoordinator cluster) {
		this.cluster = cluster;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up()
			.withDetail("database", this.cluster.postgres() ? "PostgreSQL" : "H2")
			.withDetail("leader", this.cluster.isLeader());
	}

}
