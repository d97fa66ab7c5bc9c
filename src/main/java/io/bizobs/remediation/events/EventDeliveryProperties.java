package io.bizobs.remediation.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How events are delivered, {@code remediation.events.*}.
 *
 * @param responseWait how long a change's response waits for the first delivery attempt
 * @param connectTimeout time-out for connecting to Dynatrace
 * @param responseTimeout time-out for Dynatrace's answer
 * @param initialBackoff the wait after a first failed attempt; it doubles with each further one
 * @param maxBackoff the longest wait between attempts
 * @param pollInterval how often the outbox is checked when nothing wakes the worker
 * @param testEventsPerMinute test events ({@code POST /api/remediation/events/test}) sent a minute
 * at most, from all callers; more are answered 429
 */
@ConfigurationProperties("remediation.events")
public record EventDeliveryProperties(@DefaultValue("2s") Duration responseWait,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration responseTimeout,
		@DefaultValue("1s") Duration initialBackoff, @DefaultValue("5m") Duration maxBackoff,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("6") int testEventsPerMinute) {
}
