package io.bizobs.remediation.events;

import java.net.URI;
import java.util.Optional;

import io.bizobs.remediation.events.DynatraceProperties.Mode;

import org.springframework.util.StringUtils;

/**
 * A resolved ingest endpoint (events or metrics) and its authorization.
 *
 * @param ingestUri where events or metric lines are posted
 * @param mode classic or platform
 * @param authorization the {@code Authorization} header value, or {@code null} without a token
 */
record DynatraceEndpoint(URI ingestUri, Mode mode, String authorization) {

	/** What is sent or read: all go the same way, on the same settings. */
	enum Ingest {

		/** The Events API v2. */
		EVENTS("/v2/events/ingest"),

		/** The Metrics API v2, in its line protocol. */
		METRICS("/v2/metrics/ingest"),

		/** The Problems API v2: a problem's status, and comments on it. */
		PROBLEMS("/v2/problems");

		private final String path;

		Ingest(String path) {
			this.path = path;
		}

	}

	/**
	 * Resolves the Events API endpoint as docs/api.md describes, or returns empty when no environment
	 * is configured.
	 * @throws IllegalArgumentException if the environment is not an http(s) URL
	 */
	static Optional<DynatraceEndpoint> resolve(DynatraceProperties properties) {
		return resolve(properties, Ingest.EVENTS);
	}

	/**
	 * Resolves the endpoint of the given ingest API, or returns empty when no environment is
	 * configured.
	 * @throws IllegalArgumentException if the environment is not an http(s) URL
	 */
	static Optional<DynatraceEndpoint> resolve(DynatraceProperties properties, Ingest ingest) {
		if (!StringUtils.hasText(properties.environment())) {
			return Optional.empty();
		}
		URI environment = URI.create(properties.environment().trim().replaceAll("/+$", ""));
		if (!"http".equals(environment.getScheme()) && !"https".equals(environment.getScheme())
				|| environment.getHost() == null) {
			throw new IllegalArgumentException("DT_ENVIRONMENT must be an http(s) URL, was " + environment);
		}
		boolean appsHost = environment.getHost().contains(".apps.");
		boolean classicToken = StringUtils.hasText(properties.apiToken());
		boolean platformToken = StringUtils.hasText(properties.platformToken());
		Mode mode = switch (properties.eventsMode()) {
			case AUTO -> (platformToken || (appsHost && !classicToken)) ? Mode.PLATFORM : Mode.CLASSIC;
			case CLASSIC, PLATFORM -> properties.eventsMode();
		};
		if (mode == Mode.PLATFORM) {
			// The platform API is served only on the apps host.
			URI base = withHost(environment, environment.getHost().replace(".live.", ".apps."));
			return Optional.of(new DynatraceEndpoint(URI.create(base + "/platform/classic/environment-api" + ingest.path), mode,
					platformToken ? "Bearer " + properties.platformToken().trim() : null));
		}
		URI base = withHost(environment, environment.getHost().replace(".apps.", ".live."));
		return Optional.of(new DynatraceEndpoint(URI.create(base + "/api" + ingest.path), mode,
				classicToken ? "Api-Token " + properties.apiToken().trim() : null));
	}

	private static URI withHost(URI uri, String host) {
		String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		return URI.create(uri.getScheme() + "://" + host + port + path);
	}

	/** For logs and health: the endpoint and scheme, never the token. */
	String describe() {
		String scheme = (this.authorization != null) ? scheme() : "no token";
		return this.ingestUri + " (" + this.mode.name().toLowerCase() + ", " + scheme + ")";
	}

	/** The authorization's scheme ({@code Api-Token} or {@code Bearer}) without the token, or {@code null}. */
	String scheme() {
		return (this.authorization != null) ? this.authorization.substring(0, this.authorization.indexOf(' ')) : null;
	}

	@Override
	public String toString() {
		return describe();
	}

}
