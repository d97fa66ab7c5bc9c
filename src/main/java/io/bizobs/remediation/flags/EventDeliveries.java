package io.bizobs.remediation.flags;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What became of the events of changes, for their responses: the first delivery attempt of
 * each, as it comes, or that none was made in time.
 */
public interface EventDeliveries {

	/** @param auditIds the audit entries whose events are asked for */
	CompletableFuture<Map<String, DeliveryReport>> firstAttempts(Collection<String> auditIds);

}
