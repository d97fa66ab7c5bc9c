package io.bizobs.remediation.flags;

/**
 * What a change stores beside itself, in its transaction: stored whole with the change or not at
 * all. The flags know nothing of what it is (a guard that will watch the change, for one).
 */
@FunctionalInterface
public interface ChangeAttachment {

	/** Called once the change is written, before its transaction commits; not for a dry run or a change of nothing. */
	void store(FlagChangeOutcome outcome);

}
