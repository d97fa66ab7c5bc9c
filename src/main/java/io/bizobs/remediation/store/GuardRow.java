package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.List;

/**
 * A guarded change as the database holds it. What the guard expects, the baseline, its samples
 * and its evidence are JSON the remediation feature reads and writes; the store only keeps them.
 *
 * @param id the guard's id
 * @param createdAt when the change was made
 * @param version the flags' version the change made
 * @param who who asked for the change and why
 * @param expectation what the guard expects, as JSON
 * @param baseline what was seen when the change was made, as JSON
 * @param settleUntil no judgement before this time
 * @param deadline the verdict comes by this time
 * @param revertAfterSeconds the change's {@code revertAfterSeconds}, or {@code null}
 * @param labels what the guard is about beyond its change (a runbook's run and step), as JSON, or
 * {@code null}
 * @param flags the flags it watches, with the change's audit entry of each
 * @param progress where the watching is
 * @param outcome the verdict and what came of it, once there is one
 */
public record GuardRow(String id, Instant createdAt, long version, ChangeRecord.Who who, String expectation,
		String baseline, Instant settleUntil, Instant deadline, Long revertAfterSeconds, String labels,
		List<GuardedFlag> flags,
		Progress progress, Outcome outcome) {

	/** Watched until the verdict. */
	public static final String WATCHING = "WATCHING";

	/** Verified, and waiting until its revert may be made. */
	public static final String HOLDING = "HOLDING";

	public static final String ENDED = "ENDED";

	/**
	 * One flag of a guarded change.
	 *
	 * @param flag the flag
	 * @param auditId the change's audit entry for it
	 * @param previousValue the JSON literal before the change
	 * @param newValue the JSON literal the change set
	 */
	public record GuardedFlag(String flag, String auditId, String previousValue, String newValue) {
	}

	/**
	 * Where the watching is.
	 *
	 * @param state {@link #WATCHING}, {@link #HOLDING} or {@link #ENDED}
	 * @param samples samples taken
	 * @param samplesWithData of those, the ones with every kind of evidence it asked for
	 * @param goodInARow the latest good samples in a row
	 * @param worseInARow the latest samples in a row worse than the baseline
	 * @param lastSample the latest sample, as JSON, or {@code null}
	 */
	public record Progress(String state, int samples, int samplesWithData, int goodInARow, int worseInARow,
			String lastSample) {
	}

	/**
	 * The verdict and what came of it.
	 *
	 * @param verdict {@code VERIFIED}, {@code NO_EFFECT}, {@code WORSENED}, {@code INCONCLUSIVE} or
	 * {@code SUPERSEDED}, or {@code null} before the verdict
	 * @param verdictAt when it was given
	 * @param evidence what it rests on, as JSON
	 * @param action what the guard did about it, in words
	 * @param verdictAuditId the verdict's audit entry, or {@code null} (a superseded guard has none)
	 * @param revertAt while holding: the change is reverted not before this time
	 * @param endedAt when the guard ended
	 */
	public record Outcome(String verdict, Instant verdictAt, String evidence, String action, String verdictAuditId,
			Instant revertAt, Instant endedAt) {

		public static final Outcome NONE = new Outcome(null, null, null, null, null, null, null);

	}

}
