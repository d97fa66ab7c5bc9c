package io.bizobs.remediation.events;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;

import io.bizobs.remediation.store.EventOutbox;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.store.Leadership;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

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

	@Bean
	EventDeliveryWorker eventDeliveryWorker(DynatraceProperties dynatrace, EventDeliveryProperties delivery,
			WebClient.Builder webClients, JsonMapper jsonMapper, EventOutbox outbox, FlagStore store,
			Leadership leadership, Clock clock, MeterRegistry meters) {
		DynatraceClient client = dynatraceClient(dynatrace, delivery, webClients, jsonMapper).orElse(null);
		return new EventDeliveryWorker(client, outbox, store, leadership, dynatrace.entitySelector(), delivery, clock,
				new SplittableRandom(), meters);
	}

	static Optional<DynatraceClient> dynatraceClient(DynatraceProperties dynatrace, EventDeliveryProperties delivery,
			WebClient.Builder webClients, JsonMapper jsonMapper) {
		Optional<DynatraceEndpoint> endpoint = DynatraceEndpoint.resolve(dynatrace);
		if (endpoint.isEmpty()) {
			logger.warn("[Event API] No Dynatrace environment configured (DT_ENVIRONMENT): flag changes are not "
					+ "sent to Dynatrace, and responses and the audit say so");
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
		return Optional.of(new DynatraceClient(webClient, endpoint.get(), jsonMapper, delivery.connectTimeout(),
				delivery.responseTimeout()));
	}

}
