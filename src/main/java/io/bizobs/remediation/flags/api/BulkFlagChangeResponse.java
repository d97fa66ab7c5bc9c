package io.bizobs.remediation.flags.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.bizobs.remediation.flags.ChangeContext;
import io.bizobs.remediation.flags.DeliveryReport;
import io.bizobs.remediation.flags.FlagChange;
import io.bizobs.remediation.flags.FlagChangeOutcome;
import io.bizobs.remediation.remediation.GuardView;
import io.bizobs.remediation.store.EventStatus;

/**
 * Answer to {@code POST /api/remediation/feature-flags/bulk}.
 */
record BulkFlagChangeResponse(boolean ok, List<Change> changes, List<Event> events, String reason,
		String problemId, String triggeredBy, long version, Instant revertAt,
		@JsonInclude(JsonInclude.Include.NON_NULL) Boolean dryRun,
		@JsonInclude(JsonInclude.Include.NON_NULL) GuardView guard,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> held, Instant timestamp) {

	/**
	 * @param held the flags left alone because a run or a guard holds them ({@code skipHeld})
	 */
	static BulkFlagChangeResponse of(FlagChangeOutcome outcome, ChangeContext context, EventReports reports,
			GuardView guard, List<String> held) {
		List<Change> changes = outcome.changes()
			.stream()
			.map((change) -> new Change(change.flag(), change.previousValue(), change.newValue(), change.changed()))
			.toList();
		List<Event> events = outcome.changes()
			.stream()
			.filter(FlagChange::changed)
			.map((change) -> {
				DeliveryReport report = reports.of(change);
				return new Event(change.flag(), report.sent(), report.status(), report.correlationId(),
						report.detail());
			})
			.toList();
		return new BulkFlagChangeResponse(true, changes, events, context.reason(), context.problemId(),
				context.triggeredBy(), outcome.version(), outcome.revertAt(), outcome.dryRun() ? Boolean.TRUE : null, guard,
				held, outcome.timestamp());
	}

	record Change(String flag, Object previousValue, Object newValue, boolean changed) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Event(String flag, boolean eventSent, EventStatus status, String correlationId, String detail) {
	}

}
