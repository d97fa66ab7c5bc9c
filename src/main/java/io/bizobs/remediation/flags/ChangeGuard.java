package io.bizobs.remediation.flags;

import java.time.Instant;
import java.util.Collection;

/**
 * Checked inside every audited change, before it is stored, with the flags it would change.
 */
@FunctionalInterface
public interface ChangeGuard {

	/**
	 * @throws ChangeRateExceededException if a flag may not change again yet
	 */
	void check(Collection<String> flags, Instant now);

}
