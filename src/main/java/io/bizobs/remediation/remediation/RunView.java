package io.bizobs.remediation.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A runbook's run as the API shows it.
 *
 * @param id the run's id
 * @param runbook the runbook
 * @param problemId the problem it answers
 * @param reason why it was started
 * @param triggeredBy what started it
 * @param caller who started it
 * @param startedAt when
 * @param state {@code RUNNING}, {@code VERIFIED} (a step healed), {@code ESCALATED} (the ladder ran
 * out, or a step made things worse: people are needed), {@code SUPERSEDED} (someone else changed a
 * step's flags) or {@code STOPPED} (a person stopped it)
 * @param step the step under way (from 1)
 * @param steps how many steps the runbook has
 * @param endedAt when it ended
 * @param outcome how it ended, in words
 * @param endedAuditId the audit entry of its escalation
 * @param restoredAt when a verified run's changes were put back (or found changed by someone else)
 * @param restored what came of that, in words
 * @param ladder every step, with its guard once applied
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(String id, String runbook, String problemId, String reason, String triggeredBy, String caller,
		Instant startedAt, String state, int step, int steps, Instant endedAt, String outcome, String endedAuditId,
		Instant restoredAt, String restored, List<Step> ladder) {

	/**
	 * One step of a run.
	 *
	 * @param step its number, from 1
	 * @param name its name
	 * @param flags the values it sets
	 * @param appliedAt when it was applied, or {@code null} while it has not been
	 * @param guardId the guard of its change ({@code GET /api/remediation/guards/{id}})
	 * @param guardState {@code WATCHING}, {@code HOLDING} or {@code ENDED}
	 * @param verdict its guard's verdict
	 * @param deadline its verdict comes by then
	 * @param action what its guard did about the verdict
	 * @param note what else there is to say (a step that changed nothing)
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Step(int step, String name, Map<String, Object> flags, Instant appliedAt, String guardId,
			String guardState, String verdict, Instant deadline, String action, String note) {
	}

}
