package io.bizobs.remediation.flags;

/**
 * Published after a change is committed and served, for whatever reacts to changes.
 *
 * @param snapshot the flags after the change
 * @param type the kind of change
 * @param outcome what changed
 */
public record FlagsChanged(FlagSnapshot snapshot, ChangeType type, FlagChangeOutcome outcome) {
}
