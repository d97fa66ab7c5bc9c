package io.bizobs.remediation.safety;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

import io.bizobs.remediation.flags.ChangeGuard;
import io.bizobs.remediation.flags.ChangeRateExceededException;
import io.bizobs.remediation.store.FlagStore;

import org.springframework.stereotype.Component;

/**
 * Stops a workflow that toggles a flag in a loop: one caller changes a flag at most
 * {@code max-changes} times in any {@code window}. Counted per caller (a key's name), so a key
 * allowed one flag cannot use up the budget of the runbook whose defensive-mode step needs that
 * flag, and a workflow that loops is stopped all the same. The changes are
 * counted from the audit, so a restart does not reset the count.
 */
@Component
class LoopGuard implements ChangeGuard {

	private final FlagStore store;

	private final GuardProperties properties;

	LoopGuard(FlagStore store, GuardProperties properties) {
		this.store = store;
		this.properties = properties;
	}

	@Override
	public void check(Collection<String> flags, String caller, Instant now) {
		Duration window = this.properties.window();
		int max = this.properties.maxChanges();
		for (String flag : flags) {
			Optional<Instant> oldestCounted = this.store.nthLatestGuardedChange(flag, caller, now.minus(window), max);
			if (oldestCounted.isPresent()) {
				Instant freedAt = oldestCounted.get().plus(window);
				throw new ChangeRateExceededException(flag, caller, max, window, Duration.between(now, freedAt));
			}
		}
	}

}
