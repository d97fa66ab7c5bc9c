package io.bizobs.remediation.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;

/**
 * Counts wrong keys in fixed windows, per client and in all, so that past a limit a wrong key is
 * refused with 429 and a time to wait rather than with 401. Only wrong keys are counted and
 * refused: a valid key is never held back, whoever else guesses from the same address, so a
 * guesser cannot lock the workflow out. Keys are long random secrets; what this adds is that a
 * guesser is told to slow down and shows up in the log and the metrics. Bounded in size: a
 * client forgotten early only gets a fresh window.
 */
final class FailedKeyAttempts {

	private static final Logger logger = LoggerFactory.getLogger(FailedKeyAttempts.class);

	private static final int MAX_CLIENTS = 10_000;

	private final ApiKeyProperties.FailedAttempts properties;

	private final Clock clock;

	private final Cache<String, Window> perClient;

	private final AtomicReference<Window> inAll = new AtomicReference<>(new Window(Instant.MIN, 0));

	private final Counter wrongKeys;

	FailedKeyAttempts(ApiKeyProperties.FailedAttempts properties, Clock clock, MeterRegistry meters) {
		this.properties = properties;
		this.clock = clock;
		this.perClient = Caffeine.newBuilder()
			.maximumSize(MAX_CLIENTS)
			.expireAfterWrite(properties.window())
			.ticker(() -> clock.millis() * 1_000_000)
			.build();
		this.wrongKeys = Counter.builder("bizobs.security.wrong.keys")
			.description("Requests that presented a key that is not valid")
			.register(meters);
	}

	/**
	 * Counts a wrong key from a client.
	 * @return the refusal to answer it with
	 */
	AuthenticationException failed(String client) {
		this.wrongKeys.increment();
		Instant now = this.clock.instant();
		Window clientWindow = this.perClient.asMap().compute(client, (key, current) -> next(current, now));
		Window all = this.inAll.updateAndGet((current) -> next(current, now));
		if (all.failures() == this.properties.limitInAll() + 1) {
			logger.warn("[Security] {} wrong API keys within {} s from all clients: further wrong keys are answered "
					+ "429 until {}; valid keys are not affected", all.failures(), this.properties.window().toSeconds(),
					all.ends());
		}
		if (clientWindow.failures() > this.properties.limit()) {
			return new TooManyFailedKeysException("Too many wrong API keys from this address",
					Duration.between(now, clientWindow.ends()));
		}
		if (all.failures() > this.properties.limitInAll()) {
			return new TooManyFailedKeysException("Too many wrong API keys from all clients",
					Duration.between(now, all.ends()));
		}
		return new BadCredentialsException("The API key is not valid");
	}

	private Window next(Window current, Instant now) {
		return (current == null || !now.isBefore(current.ends())) ? new Window(now.plus(this.properties.window()), 1)
				: new Window(current.ends(), current.failures() + 1);
	}

	private record Window(Instant ends, int failures) {
	}

	/** A wrong key past the limits: answered 429, with how long to wait. */
	static final class TooManyFailedKeysException extends AuthenticationException {

		private final transient Duration retryAfter;

		TooManyFailedKeysException(String message, Duration retryAfter) {
			super(message);
			this.retryAfter = retryAfter;
		}

		Duration retryAfter() {
			return this.retryAfter;
		}

	}

}
