package io.bizobs.remediation.flags;

import java.time.Duration;
import java.util.Map;

/**
 * A request to set one or more flags, applied all or nothing.
 *
 * @param values the new values by flag name, as parsed from JSON, in request order
 * @param type what kind of change it is
 * @param context who and why
 * @param dryRun validate and answer, but change nothing
 * @param expectedVersion apply only if the flags are still at this version, or {@code null}
 * @param revertAfter put each changed flag back to its previous value after this time, or
 * {@code null}
 * @param attachment stored with the change in its transaction, or {@code null}
 * @param undoes the version of the change this one undoes, recorded so that the audit tells them
 * together, or {@code null}
 */
public record FlagChangeCommand(Map<String, Object> values, ChangeType type, ChangeContext context, boolean dryRun,
		Long expectedVersion, Duration revertAfter, ChangeAttachment attachment, Long undoes) {

	/** The event property and audit detail naming the version a revert undoes. */
	public static final String UNDOES = "reverted.version";

	public FlagChangeCommand(Map<String, Object> values, ChangeType type, ChangeContext context, boolean dryRun,
			Long expectedVersion, Duration revertAfter, ChangeAttachment attachment) {
		this(values, type, context, dryRun, expectedVersion, revertAfter, attachment, null);
	}

	/** An unconditional change that is applied and stays. */
	public static FlagChangeCommand of(Map<String, Object> values, ChangeType type, ChangeContext context) {
		return new FlagChangeCommand(values, type, context, false, null, null, null);
	}

	/** An unconditional change that puts back what the change of that version did. */
	public static FlagChangeCommand undoing(Long version, Map<String, Object> values, ChangeType type,
			ChangeContext context) {
		return new FlagChangeCommand(values, type, context, false, null, null, null, version);
	}

}
