package io.bizobs.remediation.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.core.AuthenticationException;

/**
 * Counts wrong keys per remote address in fixed windows, so a key cannot be guessed at line
 * speed. Bounded in size: an address forgotten early only gets a fresh window.
 */
final class FailedKeyAttempts {

	private static final int MAX_ADDRESSES = 100_000;

	private final int limit;

	private final Duration window;

	private final Clock clock;

	private final Cache<String, Window> windows;

	FailedKeyAttempts(ApiKeyProperties.FailedAttempts properties, Clock clock) {
		this.limit = properties.limit();
		this.window = properties.window();
		this.clock = clock;
		this.windows = Caffeine.newBuilder()
			.maximumSize(MAX_ADDRESSES)
			.expireAfterWrite(this.window)
			.ticker(() -> clock.millis() * 1_000_000)
			.build();
	}

	/**
	 * @throws TooManyFailedKeysException if the address has presented too many wrong keys
	 */
	void checkAllowed(String address) {
		Instant now = this.clock.instant();
		Window current = this.windows.getIfPresent(address);
		if (current != null && current.failures() >= this.limit && now.isBefore(current.ends())) {
			throw new TooManyFailedKeysException(Duration.between(now, current.ends()));
		}
	}

	void failed(String address) {
		Instant now = this.clock.instant();
		this.windows.asMap()
			.compute(address, (key, current) -> (current == null || !now.isBefore(current.ends()))
					? new Window(now.plus(this.window), 1) : new Window(current.ends(), current.failures() + 1));
	}

	private record Window(Instant ends, int failures) {
	}

	/** Refuses every key an address presents until its window has passed. */
	static final class TooManyFailedKeysException extends AuthenticationException {

		private final transient Duration retryAfter;

		TooManyFailedKeysException(Duration retryAfter) {
			super("Too many wrong API keys from this address");
			this.retryAfter = retryAfter;
		}

		Duration retryAfter() {
			return this.retryAfter;
		}

	}

}
