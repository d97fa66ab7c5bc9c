package io.bizobs.remediation.events;

import java.time.Duration;
import java.util.Optional;

import io.bizobs.remediation.events.DynatraceEndpoint.Ingest;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.dynatrace.DynatraceApiVersion;
import io.micrometer.dynatrace.DynatraceConfig;
import io.micrometer.dynatrace.DynatraceMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells Dynatrace how the journeys go, so that a problem can open on their error rate: the
 * {@code bizobs.journey.*} metrics, and nothing else, are pushed to the Metrics API v2 of the
 * events' environment with the events' token. Without an environment nothing is pushed (Spring
 * Boot's own Dynatrace export, which would fall back to a local OneAgent, is off in
 * {@code application.yml}).
 */
@Configuration(proxyBeanMethods = false)
class DynatraceMetricsExport {

	private static final Logger logger = LoggerFactory.getLogger(DynatraceMetricsExport.class);

	static final String EXPORTED_PREFIX = "bizobs.journey.";

	/**
	 * No registry (null) without an environment or with pushing turned off, decided as the service
	 * starts: a condition would be decided when the context is prepared at build time (Spring AOT,
	 * as the container runs), where no environment is set.
	 */
	@Bean
	DynatraceMeterRegistry dynatraceMeterRegistry(DynatraceProperties dynatrace) {
		Optional<DynatraceEndpoint> configured = DynatraceEndpoint.resolve(dynatrace, Ingest.METRICS);
		if (configured.isEmpty() || !dynatrace.metrics().enabled()) {
			return null;
		}
		DynatraceEndpoint endpoint = configured.get();
		Duration interval = dynatrace.metrics().interval();
		logger.info("[Metrics API] Pushing {}* every {} s to {}", EXPORTED_PREFIX, interval.toSeconds(),
				endpoint.describe());
		DynatraceConfig config = new DynatraceConfig() {

			@Override
			public String get(String key) {
				return null;
			}

			@Override
			public DynatraceApiVersion apiVersion() {
				return DynatraceApiVersion.V2;
			}

			@Override
			public String uri() {
				return endpoint.ingestUri().toString();
			}

			// The sender adds the authorization, Api-Token or Bearer as the events use.
			@Override
			public String apiToken() {
				return "";
			}

			@Override
			public Duration step() {
				return interval;
			}

		};
		DynatraceMetricsSender sender = new DynatraceMetricsSender(
				new HttpUrlConnectionSender(config.connectTimeout(), config.readTimeout()), endpoint);
		DynatraceMeterRegistry registry = DynatraceMeterRegistry.builder(config)
			.clock(Clock.SYSTEM)
			.httpClient(sender)
			.build();
		// Pushed meters are billed and the detector needs only these; the JVM's stay in Prometheus.
		registry.config().meterFilter(MeterFilter.denyUnless((id) -> id.getName().startsWith(EXPORTED_PREFIX)));
		return registry;
	}

}
