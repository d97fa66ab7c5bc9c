package io.bizobs.remediation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Journeys, changes and test events that wait hold no request thread: with two request threads
 * and more waiting requests than that, the flags are still read at once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RequestThreadsTests {

	private static final int REQUEST_THREADS = 2;

	private static final int WAITING = 2 * REQUEST_THREADS;

	static final MockWebServer slowDynatrace = new MockWebServer();

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	/** Prometheus's own: the composite's counts are those of its first registry, here Dynatrace's step registry. */
	@Autowired
	PrometheusMeterRegistry meters;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		slowDynatrace.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return new MockResponse.Builder().code(201)
					.body("{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"c\",\"status\":\"OK\"}]}")
					.headersDelay(3, TimeUnit.SECONDS)
					.build();
			}

		});
		slowDynatrace.start();
		registry.add("server.tomcat.threads.max", () -> REQUEST_THREADS);
		registry.add("spring.mvc.async.request-timeout", () -> "5s");
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.dynatrace.environment", () -> slowDynatrace.url("/").toString());
		registry.add("remediation.dynatrace.api-token", () -> "dt0c01.TEST");
		registry.add("remediation.guard.max-changes", () -> 100);
		// This test sends more test events than a minute allows by default, to hold request threads.
		registry.add("remediation.events.test-events-per-minute", () -> 100);
		registry.add("remediation.simulator.min-latency", () -> "1s");
		registry.add("remediation.simulator.max-latency", () -> "1s");
		// Every step succeeds and takes its second, so a journey of three steps takes three seconds.
		registry.add("remediation.flags.errorInjectionEnabled.default-value", () -> "false");
		registry.add("remediation.flags.slowResponsesEnabled.default-value", () -> "false");
	}

	@AfterAll
	static void stop() {
		slowDynatrace.close();
	}

	@Test
	void slowJourneysLeaveFlagReadsUnblocked() {
		List<CompletableFuture<HttpResponse<String>>> journeys = send(WAITING, (i) -> post(
				"/api/journey-simulation/simulate-journey",
				"{\"journey\":{\"companyName\":\"Acme Corp\",\"steps\":[{\"stepName\":\"Browse\"},"
						+ "{\"stepName\":\"Cart\"},{\"stepName\":\"Purchase\"}]}}"));
		// A first step has ended: the journeys are under way, with seconds to go.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.meters.find("bizobs.journey.steps")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum() >= 1);

		assertThat(readFlags().statusCode()).isEqualTo(200);

		assertThat(journeys).noneMatch(CompletableFuture::isDone);
		assertThat(journeys).allSatisfy((journey) -> assertThat(journey.join().statusCode()).isEqualTo(200));
	}

	@Test
	void changesWaitingForASlowDynatraceLeaveFlagReadsUnblocked() {
		List<CompletableFuture<HttpResponse<String>>> changes = send(WAITING,
				(i) -> post("/api/remediation/feature-flag", "{\"flag\":\"canaryTrafficPercent\",\"value\":" + i + "}"));
		// The first event is on its way: changes are recorded and waiting for its outcome.
		await().atMost(Duration.ofSeconds(5)).until(() -> slowDynatrace.getRequestCount() >= 1);

		assertThat(readFlags().statusCode()).isEqualTo(200);

		assertThat(changes).noneMatch(CompletableFuture::isDone);
		assertThat(changes).allSatisfy((change) -> assertThat(change.join().body()).contains("\"status\":\"PENDING\""));
	}

	@Test
	void testEventsWaitingForASlowDynatraceLeaveFlagReadsUnblocked() {
		int before = slowDynatrace.getRequestCount();
		List<CompletableFuture<HttpResponse<String>>> tests = send(WAITING,
				(i) -> HttpRequest.newBuilder(uri("/api/remediation/events/test"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build());
		await().atMost(Duration.ofSeconds(5)).until(() -> slowDynatrace.getRequestCount() >= before + WAITING);

		assertThat(readFlags().statusCode()).isEqualTo(200);

		assertThat(tests).noneMatch(CompletableFuture::isDone);
		assertThat(tests).allSatisfy((test) -> assertThat(test.join().statusCode()).isEqualTo(200));
	}

	@Test
	void journeyLongerThanTheRequestTimeoutIsAnsweredWithAProblem() {
		String twelveSteps = IntStream.rangeClosed(1, 12)
			.mapToObj((step) -> "{\"stepName\":\"Step " + step + "\"}")
			.collect(Collectors.joining(",", "[", "]"));
		HttpResponse<String> answer = send(1, (i) -> post("/api/journey-simulation/simulate-journey",
				"{\"companyName\":\"Initech\",\"journey\":{\"steps\":" + twelveSteps + "}}"))
			.get(0)
			.join();

		assertThat(answer.statusCode()).isEqualTo(503);
		assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(answer.body()).contains("\"title\":\"Answer took too long\"");
	}

	private List<CompletableFuture<HttpResponse<String>>> send(int count,
			IntFunction<HttpRequest> request) {
		return IntStream.range(0, count)
			.mapToObj((i) -> this.http.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString()))
			.toList();
	}

	private HttpRequest post(String path, String json) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
	}

	private HttpResponse<String> readFlags() {
		return this.http.sendAsync(HttpRequest.newBuilder(uri("/api/remediation/feature-flags")).build(),
				HttpResponse.BodyHandlers.ofString())
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
