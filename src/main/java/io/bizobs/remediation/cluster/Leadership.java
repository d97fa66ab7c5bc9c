package io.bizobs.remediation.cluster;

/**
 * Whether this replica is the one that delivers events, fires reverts and moves ramps. With the
 * embedded database there is one replica, and it always is.
 */
@FunctionalInterface
public interface Leadership {

	boolean isLeader();

}
