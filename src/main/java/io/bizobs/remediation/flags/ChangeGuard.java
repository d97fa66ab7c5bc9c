package io.bizobs.remediation.flags;

import java.time.Instant;
import java.util.Collection;

/**
 * Checked inside every audited change, before it is stored, with the flags it would change and
 * who asks.
 */
@FunctionalInterface
public interface ChangeGuard {

	/**
	 * @param caller who asks: a key's name, {@code anonymous} or {@code auto_revert}
	 * @throws ChangeRateExceededException if this caller may not change a flag again yet
	 */
	void check(Collection<String> flags, String caller, Instant now);

}
