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
 */
public record FlagChangeCommand(Map<String, Object> values, ChangeType type, ChangeContext context, boolean dryRun,
		Long expectedVersion, Duration revertAfter, ChangeAttachment attachment) {

	/** An unconditional change that is applied and stays. */
	public static FlagChangeCommand of(Map<String, Object> values, ChangeType type, ChangeContext context) {
		return new FlagChangeCommand(values, type, context, false, null, null, null);
	}

}
