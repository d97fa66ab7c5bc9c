package io.bizobs.remediation.events;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where events go: {@code DT_ENVIRONMENT} (or {@code DYNATRACE_URL}), {@code DT_API_TOKEN},
 * {@code DT_PLATFORM_TOKEN}, {@code DT_EVENTS_MODE} and {@code DT_ENTITY_SELECTOR}, bound in
 * {@code application.yml}.
 *
 * @param environment the Dynatrace environment URL; blank means events are not sent
 * @param apiToken a classic access token with {@code events.ingest}
 * @param platformToken a platform token with {@code storage:events:write}
 * @param eventsMode {@code auto}, {@code classic} or {@code platform}
 * @param entitySelector put on every event when set
 */
@ConfigurationProperties("remediation.dynatrace")
public record DynatraceProperties(String environment, String apiToken, String platformToken, Mode eventsMode,
		String entitySelector) {

	public DynatraceProperties {
		eventsMode = (eventsMode != null) ? eventsMode : Mode.AUTO;
	}

	/** How the Events API is called. */
	public enum Mode {

		/** Platform if a platform token is given, or an {@code *.apps.*} URL with no classic token. */
		AUTO,

		/** {@code /api/v2/events/ingest} with {@code Api-Token}. */
		CLASSIC,

		/** {@code /platform/classic/environment-api/v2/events/ingest} with {@code Bearer}. */
		PLATFORM

	}

}
