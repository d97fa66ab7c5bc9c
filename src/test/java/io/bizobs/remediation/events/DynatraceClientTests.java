package io.bizobs.remediation.events;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.bizobs.remediation.events.DynatraceProperties.Mode;
import io.bizobs.remediation.store.EventStatus;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Events API client against a real HTTP server standing in for Dynatrace.
 */
class DynatraceClientTests {

	private static final String ACCEPTED = """
			{"reportCount": 1, "eventIngestResults": [{"correlationId": "c0ffee", "status": "OK"}]}""";

	private final JsonMapper json = JsonMapper.builder().build();

	private final MockWebServer dynatrace = new MockWebServer();

	@BeforeEach
	void start() throws IOException {
		this.dynatrace.start();
	}

	@AfterEach
	void stop() {
		this.dynatrace.close();
	}

	@Test
	void classicModePostsTheEventWithApiToken() throws Exception {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201).body(ACCEPTED).build());
		Map<String, Object> event = EventPayload.test(Instant.parse("2026-11-24T10:00:00Z"), null);

		IngestResult result = client(Mode.CLASSIC).send(event).join();

		assertThat(result).isEqualTo(new IngestResult.Delivered("201 Created OK", "c0ffee"));
		RecordedRequest request = this.dynatrace.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/api/v2/events/ingest");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.TOKEN");
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
		assertThat(this.json.readValue(request.getBody().utf8(), Map.class)).isEqualTo(event);
	}

	@Test
	void platformModePostsToThePlatformPathWithBearer() throws Exception {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201).body(ACCEPTED).build());

		client(Mode.PLATFORM).send(EventPayload.test(Instant.now(), null)).join();

		RecordedRequest request = this.dynatrace.takeRequest(1, TimeUnit.SECONDS);
		assertThat(request.getTarget()).isEqualTo("/platform/classic/environment-api/v2/events/ingest");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer dt0s16.TOKEN");
	}

	@Test
	void testEventsPastTheMinutesAllowanceAreRefusedWith429AndNeverSent() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201).body(ACCEPTED).build());
		this.dynatrace.enqueue(new MockResponse.Builder().code(201).body(ACCEPTED).build());
		TestEvents tests = new TestEvents(client(Mode.CLASSIC), null, Clock.systemUTC(), 2);

		assertThat(tests.send().join().report().status()).isEqualTo(EventStatus.DELIVERED);
		assertThat(tests.send().join().report().status()).isEqualTo(EventStatus.DELIVERED);
		assertThatExceptionOfType(ErrorResponseException.class).isThrownBy(tests::send)
			.satisfies((refusal) -> assertThat(refusal.getStatusCode().value()).isEqualTo(429))
			.satisfies((refusal) -> assertThat(refusal.getHeaders().getFirst("Retry-After")).isEqualTo("60"));
		assertThat(this.dynatrace.getRequestCount()).isEqualTo(2);
	}

	@Test
	void resultThatIsNotOkIsARefusal() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201)
			.body("{\"reportCount\":0,\"eventIngestResults\":[{\"correlationId\":\"x\",\"status\":\"INVALID_ENTITY_TYPE\"}]}")
			.build());

		IngestResult result = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isInstanceOf(IngestResult.Refused.class);
		assertThat(result.message()).contains("INVALID_ENTITY_TYPE");
	}

	@Test
	void answerThatEchoesTheTokenNeverPutsItWhereAnyoneCanReadIt() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(400).body("bad request, auth was Api-Token dt0c01.TOKEN").build());
		this.dynatrace.enqueue(new MockResponse.Builder().code(200).body("proxy page for dt0c01.TOKEN").build());

		IngestResult refused = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();
		IngestResult unexpected = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(refused.message()).isEqualTo("400 Bad Request: bad request, auth was Api-Token [token]");
		assertThat(unexpected.message()).doesNotContain("dt0c01.TOKEN").contains("[token]");
	}

	@Test
	void unauthorizedIsARefusalWithDynatracesMessage() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(401)
			.body("{\"error\":{\"code\":401,\"message\":\"Token Authentication failed\"}}")
			.build());

		IngestResult result = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isEqualTo(new IngestResult.Refused("401 Unauthorized: Token Authentication failed"));
	}

	@Test
	void badRequestNamesTheViolatedConstraints() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(400)
			.body("""
					{"error":{"code":400,"message":"Constraints violated.",
					 "constraintViolations":[{"path":"title","message":"must not be empty"}]}}""")
			.build());

		IngestResult result = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isInstanceOf(IngestResult.Refused.class);
		assertThat(result.message()).isEqualTo("400 Bad Request: Constraints violated. (title must not be empty)");
	}

	@Test
	void tooManyRequestsIsWorthRetryingAfterTheGivenTime() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());

		IngestResult result = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isEqualTo(new IngestResult.Unavailable("429 Too Many Requests", Duration.ofSeconds(2)));
	}

	@Test
	void serverErrorIsWorthRetrying() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(503).build());

		IngestResult result = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isEqualTo(new IngestResult.Unavailable("503 Service Unavailable", null));
	}

	@Test
	void slowAnswerIsWorthRetrying() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201)
			.body(ACCEPTED)
			.headersDelay(3, TimeUnit.SECONDS)
			.build());

		IngestResult result = client(Mode.CLASSIC).send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isInstanceOf(IngestResult.Unavailable.class);
		assertThat(result.message()).isEqualTo("no answer within the time-out");
	}

	@Test
	void refusedConnectionIsWorthRetrying() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		DynatraceClient client = client("http://127.0.0.1:" + closedPort, Mode.CLASSIC);

		IngestResult result = client.send(EventPayload.test(Instant.now(), null)).join();

		assertThat(result).isInstanceOf(IngestResult.Unavailable.class);
		assertThat(result.message()).startsWith("connection failed");
	}

	@Test
	void aCommentOnADisplayIdDynatraceDoesNotKnowIsRefusedNotRetried() throws Exception {
		// What the Problems API answers for a display id it has no problem for: an empty list.
		this.dynatrace.enqueue(new MockResponse.Builder().code(200)
			.body("{\"totalCount\": 0, \"pageSize\": 50, \"problems\": []}")
			.build());

		IngestResult result = client(Mode.CLASSIC).comment("P-1#typo", "BizObs Remediation: verified").join();

		assertThat(result).isInstanceOf(IngestResult.Refused.class);
		assertThat(result.message()).contains("Dynatrace knows no problem P-1#typo");
		assertThat(this.dynatrace.takeRequest(1, TimeUnit.SECONDS).getTarget()).startsWith("/api/v2/problems?");
		assertThat(this.dynatrace.getRequestCount()).as("no comment posted").isEqualTo(1);
	}

	@Test
	void aCommentWhoseProblemCannotBeLookedUpNowIsWorthRetrying() {
		this.dynatrace.enqueue(new MockResponse.Builder().code(503).build());

		IngestResult result = client(Mode.CLASSIC).comment("P-24120301", "BizObs Remediation: verified").join();

		assertThat(result).isInstanceOf(IngestResult.Unavailable.class);
	}

	private DynatraceClient client(Mode mode) {
		return client(this.dynatrace.url("/").toString(), mode);
	}

	private DynatraceClient client(String environment, Mode mode) {
		DynatraceProperties dynatrace = new DynatraceProperties(environment, "dt0c01.TOKEN", "dt0s16.TOKEN", mode,
				null, null);
		EventDeliveryProperties delivery = new EventDeliveryProperties(Duration.ofSeconds(2), Duration.ofSeconds(1),
				Duration.ofMillis(500), Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(1), 6);
		return EventsConfiguration.dynatraceClient(dynatrace, delivery, WebClient.builder(), this.json).orElseThrow();
	}

}
