package io.bizobs.remediation.flags;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.bizobs.remediation.store.ChangeRecord;
import io.bizobs.remediation.store.EventStatus;

/**
 * How a change is written down: an audit entry, and the event to send, for each flag it changed.
 */
final class ChangeRecords {

	private ChangeRecords() {
	}

	/** The planned changes as recorded: each changed flag of an audited kind gets its entry and event. */
	static List<FlagChange> withEntries(List<FlagChange> planned, ChangeType type, EventStatus eventStatus) {
		return planned.stream()
			.map((change) -> (change.changed() && type.audited()) ? new FlagChange(change.flag(),
					change.previousValue(), change.newValue(), true, UUID.randomUUID().toString(), eventStatus)
					: change)
			.toList();
	}

	static ChangeRecord of(FlagChangeCommand command, List<FlagChange> changes, EventStatus eventStatus, Instant now,
			Instant revertAt) {
		List<ChangeRecord.FlagChangeRow> rows = changes.stream()
			.filter(FlagChange::changed)
			.map((change) -> new ChangeRecord.FlagChangeRow(change.auditId(), change.flag(),
					FlagValues.literal(change.previousValue()), FlagValues.literal(change.newValue())))
			.toList();
		return ChangeRecord.at(now)
			.by(who(command.context()))
			.values(command.type().remediationType())
			.event(eventStatus)
			.revertAt(revertAt)
			.details((command.undoes() != null)
					? Map.of(FlagChangeCommand.UNDOES, Long.toString(command.undoes())) : Map.of())
			.flags(rows);
	}

	static ChangeRecord.Who who(ChangeContext context) {
		return new ChangeRecord.Who(context.reason(), context.problemId(), context.triggeredBy(), context.caller(),
				context.remoteAddress());
	}

}
