package io.bizobs.remediation.flags.api;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The change stream, {@code remediation.stream.*}.
 *
 * @param heartbeat how often an open stream gets a comment line, so that a reader that went away
 * is noticed (the second write to a closed connection fails) and its connection let go
 * @param maxStreams streams open at once in all; beyond, a newcomer takes a slot from the client
 * holding the most, or is answered 429. Each holds about 10 KB of heap, its connection's buffers
 * (docs/deployment.md sizes the caps to the heap)
 * @param maxStreamsPerAddress streams open at once from one client (an address, an IPv6 /64) without a
 * key; more are answered 429
 * @param timeout how long one stream lasts before the server ends it; readers reconnect
 */
@ConfigurationProperties("remediation.stream")
@Validated
public record StreamProperties(@DefaultValue("5s") Duration heartbeat, @DefaultValue("200") @Min(1) int maxStreams,
		@DefaultValue("20") @Min(1) int maxStreamsPerAddress, @DefaultValue("30m") Duration timeout) {

	public StreamProperties {
		if (heartbeat.isNegative() || heartbeat.isZero()) {
			throw new IllegalArgumentException("remediation.stream.heartbeat must be positive, not " + heartbeat);
		}
	}

}
