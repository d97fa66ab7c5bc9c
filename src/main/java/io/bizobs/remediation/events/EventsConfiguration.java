package io.bizobs.remediation.events;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.cluster.Leadership;
import io.bizobs.remediation.store.EventOutbox;
import io.bizobs.remediation.store.FlagStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Resolves the Dynatrace endpoint once at start-up and wires the delivery worker to it.
 */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EventsConfiguration.class);

	/**
	 * No client (null) without an environment, decided as the service starts: a condition would be
	 * decided when the context is prepared at build time (Spring AOT, as the container runs), where
	 * no environment is set, and no event would ever be sent.
	 */
	@Bean
	DynatraceClient dynatraceEventsClient(DynatraceProperties dynatrace, EventDeliveryProperties delivery,
			WebClient.Builder webClients, JsonMapper jsonMapper) {
		return dynatraceClient(dynatrace, delivery, webClients, jsonMapper).orElse(null);
	}

	@Bean
	FirstAttempts firstAttempts(ObjectProvider<DynatraceClient> client, FlagStore store, Leadership leadership,
			EventDeliveryProperties delivery, Clock clock, Background background) {
		return new FirstAttempts(client.getIfAvailable() != null, store, leadership, delivery.responseWait(), clock,
				background);
	}

	@Bean
	Problems problems(ObjectProvider<DynatraceClient> client) {
		return new Problems(client.getIfAvailable());
	}

	@Bean
	TestEvents testEvents(ObjectProvider<DynatraceClient> client, DynatraceProperties dynatrace,
			EventDeliveryProperties delivery, Clock clock) {
		return new TestEvents(client.getIfAvailable(), dynatrace.entitySelector(), clock,
				delivery.testEventsPerMinute());
	}

	@Bean
	EventDeliveryWorker eventDeliveryWorker(ObjectProvider<DynatraceClient> client, DynatraceProperties dynatrace,
			EventDeliveryProperties delivery, EventOutbox outbox, Leadership leadership, FirstAttempts firstAttempts,
			Clock clock, MeterRegistry meters, Background background) {
		if (client.getIfAvailable() == null) {
			logger.warn("[Event API] No Dynatrace environment configured (DT_ENVIRONMENT): flag changes are not "
					+ "sent to Dynatrace, and responses and the audit say so");
		}
		return new EventDeliveryWorker(client.getIfAvailable(), outbox, leadership, firstAttempts,
				dynatrace.entitySelector(), delivery, clock, new SplittableRandom(), meters, background);
	}

	static Optional<DynatraceClient> dynatraceClient(DynatraceProperties dynatrace, EventDeliveryProperties delivery,
			WebClient.Builder webClients, JsonMapper jsonMapper) {
		Optional<DynatraceEndpoint> endpoint = DynatraceEndpoint.resolve(dynatrace);
		if (endpoint.isEmpty()) {
			return Optional.empty();
		}
		logger.info("[Event API] Sending events to {}", endpoint.get().describe());
		if (endpoint.get().authorization() == null) {
			logger.warn("[Event API] No token for {} mode (DT_API_TOKEN or DT_PLATFORM_TOKEN): Dynatrace will "
					+ "refuse the events", endpoint.get().mode().name().toLowerCase());
		}
		JdkClientHttpConnector connector = new JdkClientHttpConnector(
				HttpClient.newBuilder().connectTimeout(delivery.connectTimeout()).build());
		connector.setReadTimeout(delivery.responseTimeout());
		WebClient webClient = webClients.clone().clientConnector(connector).build();
		DynatraceEndpoint problems = DynatraceEndpoint.resolve(dynatrace, DynatraceEndpoint.Ingest.PROBLEMS).orElseThrow();
		return Optional.of(new DynatraceClient(webClient, endpoint.get(), problems, jsonMapper, delivery.connectTimeout(),
				delivery.responseTimeout()));
	}

}
