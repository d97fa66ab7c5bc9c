package io.bizobs.remediation.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where events and metrics go: DT_ENVIRONMENT (or DYNATRACE_URL), DT_API_TOKEN,
 * DT_PLATFORM_TOKEN, DT_EVENTS_MODE and DT_ENTITY_SELECTOR, bound in application.yml.
 *
 * @param environment the Dynatrace environment URL; blank means nothing is sent
 * @param apiToken a classic access token with events.ingest (and metrics.ingest for the metrics)
 * @param platformToken a platform token with storage:events:write (and storage:metrics:write)
 * @param eventsMode auto, classic or platform, for events and metrics alike
 * @param entitySelector put on every event when set
 * @param metrics the journey metrics pushed to the same environment
 */
@ConfigurationProperties("remediation.dynatrace")
public record DynatraceProperties(String environment, String apiToken, String platformToken, Mode eventsMode,
		String entitySelector, @DefaultValue Metrics metrics) {

	public DynatraceProperties {
		eventsMode = (eventsMode != null) ? eventsMode : Mode.AUTO;
	}

	/**
	 * The {@code bizobs.journey.*} metrics, pushed to the Metrics API v2 of the environment with
	 * the events' token: a classic token needs {@code metrics.ingest}, a platform token
	 * {@code storage:metrics:write}.
	 *
	 * @param enabled push them whenever an environment is configured ({@code DT_METRICS_ENABLED})
	 * @param interval how often ({@code DT_METRICS_INTERVAL}); Dynatrace keeps one value per minute
	 */
	public record Metrics(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration interval) {
	}

	/** How the Events and Metrics APIs are called. */
	public enum Mode {

		/** Platform if a platform token is given, or an {@code *.apps.*} URL with no classic token. */
		AUTO,

		/** {@code /api/v2/events/ingest} with {@code Api-Token}. */
		CLASSIC,

		/** {@code /platform/classic/environment-api/v2/events/ingest} with {@code Bearer}. */
		PLATFORM

	}

}
