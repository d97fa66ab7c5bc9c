package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A runbook's run as the database holds it.
 *
 * @param id the run's id
 * @param runbook the runbook's name
 * @param who who started it and why, for which problem
 * @param createdAt when it was started
 * @param state {@code RUNNING}, {@code VERIFIED}, {@code ESCALATED}, {@code SUPERSEDED} or
 * {@code STOPPED}
 * @param step the step under way, from 0
 * @param endedAt when it ended, or {@code null}
 * @param outcome how it ended, in words, or {@code null}
 * @param endedAuditId the audit entry its end was recorded with (an escalation), or {@code null}
 * @param restoredAt when a verified run's changes were put back, or found not to need it
 * @param restored what came of the restore, in words
 * @param steps the steps applied so far, in order
 */
public record RunRow(String id, String runbook, ChangeRecord.Who who, Instant createdAt, String state, int step,
		Instant endedAt, String outcome, String endedAuditId, Instant restoredAt, String restored, List<Step> steps) {

	public static final String RUNNING = "RUNNING";

	public static final String VERIFIED = "VERIFIED";

	/** The step of this index, once applied. */
	public Optional<Step> applied(int index) {
		return this.steps.stream().filter((step) -> step.step() == index).findFirst();
	}

	/**
	 * A step applied.
	 *
	 * @param step its index, from 0
	 * @param name its name
	 * @param startedAt when it was applied
	 * @param guardId the guard of its change, or {@code null} when the change changed nothing
	 */
	public record Step(int step, String name, Instant startedAt, String guardId) {
	}

}
