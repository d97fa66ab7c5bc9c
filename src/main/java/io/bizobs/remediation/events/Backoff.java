package io.bizobs.remediation.events;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: the n-th failed attempt waits between half and all of
 * {@code initial * 2^(n-1)}, capped at {@code max}, so that many senders do not retry in step.
 * A {@code Retry-After} from Dynatrace is a floor.
 *
 * @param initial the base wait after the first failure
 * @param max the longest wait
 */
record Backoff(Duration initial, Duration max) {

	Duration delay(int failedAttempts, Duration retryAfter, RandomGenerator random) {
		long ceiling = this.initial.toMillis() << Math.min(failedAttempts - 1, 30);
		ceiling = Math.min(Math.max(ceiling, 1), this.max.toMillis());
		long jittered = ceiling / 2 + random.nextLong(ceiling / 2 + 1);
		Duration delay = Duration.ofMillis(jittered);
		return (retryAfter != null && retryAfter.compareTo(delay) > 0) ? retryAfter : delay;
	}

}
