package io.bizobs.remediation.events;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.events.DynatraceProperties.Metrics;
import io.bizobs.remediation.events.DynatraceProperties.Mode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.ipc.http.HttpSender;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.dynatrace.DynatraceMeterRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.dynatrace.DynatraceMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journey metrics go to the events' environment with the events' token, and nowhere when no
 * environment is set; a refused push is warned of once.
 */
@ExtendWith(OutputCaptureExtension.class)
class DynatraceMetricsExportTests {

	private final MockWebServer dynatrace = new MockWebServer();

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, DynatraceMetricsExport.class)
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, DynatraceMetricsExportAutoConfiguration.class))
		.withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(applicationYml()));

	@BeforeEach
	void start() throws IOException {
		this.dynatrace.start();
	}

	@AfterEach
	void stop() {
		this.dynatrace.close();
	}

	@Test
	void withoutAnEnvironmentNothingIsPushedNotEvenToALocalOneAgent() {
		this.contexts.run((context) -> assertThat(pushing(context)).isNull());
	}

	@Test
	void pushingCanBeTurnedOff() {
		this.contexts
			.withPropertyValues("remediation.dynatrace.environment=" + this.dynatrace.url("/"),
					"remediation.dynatrace.api-token=dt0c01.TOKEN", "remediation.dynatrace.metrics.enabled=false")
			.run((context) -> assertThat(pushing(context)).isNull());
	}

	@Test
	void platformTokenPushesTheJourneyMetricsOnlyWithBearer() throws InterruptedException {
		this.dynatrace.enqueue(new MockResponse.Builder().code(202).body("{\"linesOk\":1}").build());
		this.contexts
			.withPropertyValues("remediation.dynatrace.environment=" + this.dynatrace.url("/"),
					"remediation.dynatrace.platform-token=dt0s16.PLATFORM")
			.run((context) -> {
				DynatraceMeterRegistry registry = pushing(context);
				Counter.builder("bizobs.journey.journeys").tag("customer", "Initech").register(registry).increment();
				Gauge.builder("jvm.memory.used", () -> 1).register(registry);
				registry.close();
			});
		RecordedRequest push = this.dynatrace.takeRequest();
		assertThat(push.getUrl().encodedPath()).isEqualTo("/platform/classic/environment-api/v2/metrics/ingest");
		assertThat(push.getHeaders().get("Authorization")).isEqualTo("Bearer dt0s16.PLATFORM");
		assertThat(push.getBody().utf8()).contains("bizobs.journey.journeys,").doesNotContain("jvm.");
	}

	@Test
	void refusedPushIsWarnedOfOnceAndItsEndSaid(CapturedOutput output) throws Throwable {
		DynatraceEndpoint endpoint = DynatraceEndpoint.resolve(new DynatraceProperties(
				this.dynatrace.url("/").toString(), "dt0c01.NO-SCOPE", null, Mode.CLASSIC, null,
				new Metrics(true, Duration.ofMinutes(1))), DynatraceEndpoint.Ingest.METRICS)
			.orElseThrow();
		DynatraceMetricsSender sender = new DynatraceMetricsSender(new HttpUrlConnectionSender(), endpoint);
		for (int code : List.of(403, 403, 202)) {
			this.dynatrace.enqueue(new MockResponse.Builder().code(code).body("{}").build());
			sender.send(new HttpSender.Request(URI.create(endpoint.ingestUri().toString()).toURL(),
					"bizobs.journey.journeys,customer=Initech count,delta=1".getBytes(), HttpSender.Method.POST,
					Map.of()));
		}
		assertThat(output.getOut().split("Pushing to .* failed: HTTP 403", -1)).hasSize(2);
		assertThat(output.getOut()).contains("works again").doesNotContain("NO-SCOPE");
		assertThat(this.dynatrace.takeRequest().getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.NO-SCOPE");
	}

	/** The registry that pushes, or null where none does (its bean method answered null). */
	private static DynatraceMeterRegistry pushing(ApplicationContext context) {
		return context.getBeanProvider(DynatraceMeterRegistry.class).getIfAvailable();
	}

	private static PropertySource<?> applicationYml() {
		try {
			return new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
				.get(0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DynatraceProperties.class)
	static class Properties {

	}

}
