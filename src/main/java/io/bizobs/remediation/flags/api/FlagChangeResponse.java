package io.bizobs.remediation.flags.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.remediation.GuardView;
import io.bizobs.remediation.store.EventStatus;

/**
 * Answer to {@code POST /api/remediation/feature-flag}.
 */
record FlagChangeResponse(boolean ok, String flag, Object previousValue, Object newValue, boolean changed,
		String reason, String problemId, String triggeredBy, long version, Instant revertAt, String auditId,
		boolean eventSent, Event event, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
		@JsonInclude(JsonInclude.Include.NON_NULL) GuardView guard, Instant timestamp) {

	static FlagChangeResponse of(FlagChangeOutcome outcome, ChangeContext context, EventReports events,
			GuardView guard) {
		FlagChange change = outcome.changes().get(0);
		DeliveryReport event = events.of(change);
		return new FlagChangeResponse(true, change.flag(), change.previousValue(), change.newValue(), change.changed(),
				context.reason(), context.problemId(), context.triggeredBy(), outcome.version(), outcome.revertAt(),
				change.auditId(), event.sent(), new Event(event.status(), event.correlationId(), event.detail()),
				outcome.dryRun() ? Boolean.TRUE : null, guard, outcome.timestamp());
	}

	/**
	 * What became of the change's Dynatrace event.
	 *
	 * @param status the delivery status
	 * @param correlationId Dynatrace's id once delivered
	 * @param detail why it is not delivered (yet)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Event(EventStatus status, String correlationId, String detail) {
	}

}
