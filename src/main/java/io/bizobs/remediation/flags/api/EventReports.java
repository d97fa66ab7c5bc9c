package io.bizobs.remediation.flags.api;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.EventDeliveries;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.store.EventStatus;

/**
 * The event outcome of each flag of a change, as its response reports it: what the first
 * delivery attempt said, or {@code NONE} for a flag that did not change.
 */
final class EventReports {

	private static final DeliveryReport NONE = new DeliveryReport(EventStatus.NONE, null, null);

	private final Map<String, DeliveryReport> byAuditId;

	private EventReports(Map<String, DeliveryReport> byAuditId) {
		this.byAuditId = byAuditId;
	}

	static CompletableFuture<EventReports> of(FlagChangeOutcome outcome, EventDeliveries deliveries) {
		// A dry run's changes have no audit entry and so no event.
		return deliveries
			.firstAttempts(outcome.changes().stream().map(FlagChange::auditId).filter(Objects::nonNull).toList())
			.thenApply(EventReports::new);
	}

	DeliveryReport of(FlagChange change) {
		return (change.auditId() != null) ? this.byAuditId.getOrDefault(change.auditId(), NONE) : NONE;
	}

}
