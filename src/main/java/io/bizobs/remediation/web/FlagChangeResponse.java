package io.bizobs.remediation.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.store.EventStatus;

/**
 * Answer to {@code POST /api/remediation/feature-flag}.
 */
record FlagChangeResponse(boolean ok, String flag, Object previousValue, Object newValue, boolean changed,
		String reason, String problemId, String triggeredBy, long version, Instant revertAt, String auditId,
		boolean eventSent, Event event, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
		Instant timestamp) {

	static FlagChangeResponse of(FlagChangeOutcome outcome, ChangeContext context) {
		FlagChange change = outcome.changes().get(0);
		return new FlagChangeResponse(true, change.flag(), change.previousValue(), change.newValue(), change.changed(),
				context.reason(), context.problemId(), context.triggeredBy(), outcome.version(), null,
				change.auditId(), change.eventStatus() == EventStatus.DELIVERED, new Event(change.eventStatus()),
				outcome.dryRun() ? Boolean.TRUE : null, outcome.timestamp());
	}

	/**
	 * What became of the change's Dynatrace event.
	 *
	 * @param status the delivery status
	 */
	record Event(EventStatus status) {
	}

}
