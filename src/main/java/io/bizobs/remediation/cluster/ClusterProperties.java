package io.bizobs.remediation.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Replicas on a shared PostgreSQL, {@code remediation.cluster.*}.
 *
 * @param name names the notification channel and the leader lock, so that several clusters can
 * share one database
 * @param refreshInterval how often a replica checks the database for changes it was not told of
 * @param checkInterval how often a replica listens, and tries to become the leader
 */
@ConfigurationProperties("remediation.cluster")
public record ClusterProperties(@DefaultValue("bizobs") String name, @DefaultValue("5s") Duration refreshInterval,
		@DefaultValue("250ms") Duration checkInterval) {

	String channel() {
		return (this.name + "_flags").toLowerCase().replaceAll("[^a-z0-9_]", "_");
	}

	long lockKey() {
		return ("bizobs-leader:" + this.name).hashCode();
	}

}
