package io.bizobs.remediation.flags;

import java.time.Instant;
import java.util.List;

/**
 * The result of a {@link FlagChangeCommand}.
 *
 * @param changes one entry per requested flag, in request order
 * @param version the flags' version after the change
 * @param timestamp when the change was made
 * @param dryRun whether nothing was applied on purpose
 * @param revertAt when the changed flags go back, or {@code null}
 */
public record FlagChangeOutcome(List<FlagChange> changes, long version, Instant timestamp, boolean dryRun,
		Instant revertAt) {
}
