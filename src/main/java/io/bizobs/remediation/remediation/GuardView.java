package io.bizobs.remediation.remediation;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A guard as the API shows it: what it watches and expects, where the watching is, and the verdict
 * with its evidence and what came of it.
 *
 * @param id the guard's id, or {@code null} in a dry run's answer
 * @param state {@code WATCHING}, {@code HOLDING} (verified; its revert waits), {@code ENDED}, or
 * {@code DRY_RUN} for what a dry run would watch
 * @param verdict the verdict, once there is one
 * @param flags the flags it watches, with the change's values
 * @param problemId the change's problem
 * @param expectation what it expects
 * @param baseline the journeys when the change was made
 * @param settleUntil no judgement before this time
 * @param deadline the verdict comes by this time
 * @param revertAfterSeconds the change's {@code revertAfterSeconds}: counted from a verified
 * verdict, and only once the problem stayed closed
 * @param samples samples taken
 * @param goodInARow the latest good samples in a row
 * @param worseInARow the latest worse samples in a row
 * @param lastSample the latest sample
 * @param verdictAt when the verdict came
 * @param evidence what the verdict rests on
 * @param action what the guard did about it
 * @param verdictAuditId the verdict's audit entry
 * @param revertAt while holding: not reverted before this time
 * @param endedAt when the guard ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuardView(String id, String state, Verdict verdict, List<Flag> flags, String problemId,
		Expectation expectation, Baseline baseline, Instant settleUntil, Instant deadline, Long revertAfterSeconds,
		int samples, int goodInARow, int worseInARow, Sample lastSample, Instant verdictAt, Judgement evidence,
		String action, String verdictAuditId, Instant revertAt, Instant endedAt) {

	/**
	 * A flag a guard watches.
	 *
	 * @param flag the flag
	 * @param from its value before the change
	 * @param to the value the change set
	 * @param auditId the change's audit entry
	 */
	public record Flag(String flag, Object from, Object to, String auditId) {
	}

	/**
	 * What a verdict rests on.
	 *
	 * @param summary the verdict in words, as the problem's comment has it
	 * @param baseline the journeys when the change was made
	 * @param lastSample the last sample before the verdict
	 * @param samples samples taken
	 * @param samplesWithData of those, the ones with every kind of evidence
	 * @param goodInARow good samples in a row at the verdict
	 * @param worseInARow worse samples in a row at the verdict
	 */
	public record Judgement(String summary, Baseline baseline, Sample lastSample, int samples, int samplesWithData,
			int goodInARow, int worseInARow) {
	}

}
