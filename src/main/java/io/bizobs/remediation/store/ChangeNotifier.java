package io.bizobs.remediation.store;

/**
 * Tells the other replicas that the flags changed, from within the change's transaction, so
 * they hear of it when, and only when, it commits.
 */
@FunctionalInterface
public interface ChangeNotifier {

	void changed(long version);

}
