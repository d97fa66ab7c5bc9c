package io.bizobs.remediation.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.bizobs.remediation.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API over real HTTP, as the guide's operators and workflows call it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class RemediationApiTests {

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		// These tests toggle flags far more often than the loop guard allows; SafetyTests cover it.
		registry.add("remediation.guard.max-changes", () -> "100000");
		registry.add("remediation.requests.body-timeout", () -> "1s");
	}

	@Autowired
	RestTestClient client;

	@LocalServerPort
	int port;

	@Test
	void guidesQuickTestDisablesErrorInjection() {
		post("/api/remediation/feature-flag", "{\"flag\":\"errorInjectionEnabled\",\"value\":true}");

		post("/api/remediation/feature-flag", """
				{"flag": "errorInjectionEnabled", "value": false,
				 "reason": "Manual test - disabling errors", "triggeredBy": "manual"}""")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.flag").isEqualTo("errorInjectionEnabled")
			.jsonPath("$.previousValue").isEqualTo(true)
			.jsonPath("$.newValue").isEqualTo(false)
			.jsonPath("$.changed").isEqualTo(true)
			.jsonPath("$.reason").isEqualTo("Manual test - disabling errors")
			.jsonPath("$.triggeredBy").isEqualTo("manual")
			.jsonPath("$.auditId").isNotEmpty()
			.jsonPath("$.eventSent").isEqualTo(false)
			.jsonPath("$.event.status").isEqualTo("DISABLED")
			.jsonPath("$.revertAt").hasJsonPath()
			.jsonPath("$.revertAt").isEmpty()
			.jsonPath("$.timestamp").value(String.class, (timestamp) -> assertThat(timestamp).endsWith("Z"));

		this.client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.flags.errorInjectionEnabled").isEqualTo(false)
			.jsonPath("$.flags.canaryTrafficPercent").isNumber()
			.jsonPath("$.flags.errorRate").isNumber();
	}

	@Test
	void workflowThatFiresTwiceChangesOnce() {
		String disable = """
				{"flag": "circuitBreakerEnabled", "value": true,
				 "reason": "Downstream service failure detected", "problemId": "P-2411",
				 "triggeredBy": "dynatrace_workflow"}""";
		post("/api/remediation/feature-flag", "{\"flag\":\"circuitBreakerEnabled\",\"value\":false}");
		post("/api/remediation/feature-flag", disable).expectBody().jsonPath("$.changed").isEqualTo(true);

		post("/api/remediation/feature-flag", disable)
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.changed").isEqualTo(false)
			.jsonPath("$.auditId").isEmpty()
			.jsonPath("$.event.status").isEqualTo("NONE");

		this.client.get()
			.uri("/api/remediation/audit?flag=circuitBreakerEnabled&limit=1")
			.exchange()
			.expectBody()
			.jsonPath("$.entries[0].problemId").isEqualTo("P-2411")
			.jsonPath("$.entries[0].triggeredBy").isEqualTo("dynatrace_workflow");
	}

	@Test
	void guidesThreeWorkflowBodiesAreAccepted() {
		post("/api/remediation/feature-flag", """
				{"flag": "errorInjectionEnabled", "value": false,
				 "reason": "Automated remediation - High error rate detected",
				 "problemId": "P-24110123", "triggeredBy": "dynatrace_workflow"}""")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.problemId").isEqualTo("P-24110123");

		post("/api/remediation/feature-flags/bulk", """
				{"flags": {"errorInjectionEnabled": false, "slowResponsesEnabled": false,
				           "circuitBreakerEnabled": true},
				 "reason": "Complex failure - Enabling defensive mode",
				 "problemId": "P-24110123", "triggeredBy": "dynatrace_workflow"}""")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.ok").isEqualTo(true)
			.jsonPath("$.changes.length()").isEqualTo(3)
			.jsonPath("$.changes[0].flag").isEqualTo("errorInjectionEnabled")
			.jsonPath("$.changes[2].newValue").isEqualTo(true)
			.jsonPath("$.reason").isEqualTo("Complex failure - Enabling defensive mode")
			.jsonPath("$.version").isNumber();

		post("/api/remediation/feature-flags/bulk", """
				{"flags": {"errorInjectionEnabled": true, "slowResponsesEnabled": true,
				           "circuitBreakerEnabled": false},
				 "reason": "Problem resolved - Restoring normal operation",
				 "problemId": "P-24110123", "triggeredBy": "dynatrace_workflow_recovery"}""")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.changes[*].changed").isEqualTo(List.of(true, true, true))
			.jsonPath("$.events.length()").isEqualTo(3)
			.jsonPath("$.events[0].status").isEqualTo("DISABLED")
			.jsonPath("$.triggeredBy").isEqualTo("dynatrace_workflow_recovery");

		this.client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectBody()
			.jsonPath("$.flags.errorInjectionEnabled").isEqualTo(true)
			.jsonPath("$.flags.slowResponsesEnabled").isEqualTo(true)
			.jsonPath("$.flags.circuitBreakerEnabled").isEqualTo(false);
	}

	@Test
	void earlierAppsEventFieldsAreIgnored() {
		post("/api/remediation/feature-flag", """
				{"flag": "cacheEnabled", "value": true, "dtEnvironment": "https://evil.example",
				 "dtToken": "dt0c01.SECRET"}""")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).doesNotContain("SECRET").doesNotContain("evil"));
	}

	@Test
	void bulkWithAnyBadEntryChangesNothingAndListsEveryBadEntry() {
		long version = version();

		post("/api/remediation/feature-flags/bulk", """
				{"flags": {"rateLimitingEnabled": true, "canaryTrafficPercent": 150,
				           "errorRate": "0.5", "toString": true}}""")
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[*].flag")
			.value(List.class, (flags) -> assertThat(flags).containsExactly("canaryTrafficPercent", "errorRate",
					"toString"))
			.jsonPath("$.availableFlags")
			.value(List.class, (flags) -> assertThat(flags).contains("errorInjectionEnabled", "errorRate"));

		assertThat(version()).isEqualTo(version);
		this.client.get()
			.uri("/api/remediation/feature-flags/rateLimitingEnabled")
			.exchange()
			.expectBody()
			.jsonPath("$.value").isEqualTo(false);
	}

	@Test
	void valuesOfTheWrongTypeOrRangeAreRefusedNotCoerced() {
		assertBadRequest("{\"flag\":\"errorInjectionEnabled\",\"value\":\"false\"}",
				"Flag 'errorInjectionEnabled' must be a boolean (true or false)");
		assertBadRequest("{\"flag\":\"canaryTrafficPercent\",\"value\":150}",
				"Flag 'canaryTrafficPercent' must be between 0 and 100, was 150");
		assertBadRequest("{\"flag\":\"errorRate\",\"value\":1.5}", "Flag 'errorRate' must be between 0.0 and 1.0, was 1.5");
		assertBadRequest("{\"flag\":\"canaryTrafficPercent\",\"value\":10.5}",
				"Flag 'canaryTrafficPercent' must be an integer");
		assertBadRequest("{\"flag\":\"errorInjectionEnabled\",\"value\":null}", "value must not be null");
		assertBadRequest("{\"flag\":\"errorInjectionEnabled\",\"value\":false,\"dryRun\":\"true\"}",
				"Field 'dryRun' has the wrong type or format");
	}

	@Test
	void misspeltFieldIsRefusedByNameAndChangesNothing() {
		long version = version();
		boolean before = flagValue("cacheEnabled");

		assertBadRequest("{\"flag\":\"cacheEnabled\",\"value\":" + !before + ",\"dryrun\":true}",
				"Unknown field 'dryrun'; the known fields are dryRun, dtEnvironment, dtToken, flag, guard, problemId, reason, "
						+ "revertAfterSeconds, triggeredBy, value");
		post("/api/remediation/feature-flags/bulk", "{\"flags\":{\"cacheEnabled\":" + !before + "},\"dry_run\":true}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).startsWith("Unknown field 'dry_run'"));
		post("/api/remediation/error-rate", "{\"targetRate\":0.01,\"duration\":60,\"dryRun\":true}").expectStatus()
			.isBadRequest();

		assertThat(version()).isEqualTo(version);
		assertThat(flagValue("cacheEnabled")).isEqualTo(before);
	}

	@Test
	void numbersADoubleCannotHoldAreRefusedNotRounded() {
		long version = version();

		assertBadRequest("{\"flag\":\"errorRate\",\"value\":1e-400}",
				"Flag 'errorRate' is too small to be stored: it is not 0, but would become 0");
		assertBadRequest("{\"flag\":\"errorRate\",\"value\":1e400}", "Flag 'errorRate' is out of range");
		post("/api/remediation/feature-flags/bulk", "{\"flags\":{\"errorRate\":-1e-400}}").expectStatus().isBadRequest();
		post("/api/remediation/error-rate", "{\"targetRate\":1e-400,\"duration\":60}").expectStatus().isBadRequest();

		assertThat(version()).isEqualTo(version);
		post("/api/remediation/feature-flag", "{\"flag\":\"errorRate\",\"value\":1e-3}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.newValue").isEqualTo(0.001);
	}

	@Test
	void journeyWithANullStepIsABadRequest() {
		post("/api/journey-simulation/simulate-journey",
				"{\"journey\": {\"companyName\": \"Acme Corp\", \"steps\": [null]}}").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("journey.steps[0] must not be null");
	}

	@Test
	void unknownFlagsAreRefusedWithTheListOfFlags() {
		for (String name : List.of("__proto__", "constructor", "ERRORINJECTIONENABLED", "")) {
			post("/api/remediation/feature-flag", "{\"flag\":\"" + name + "\",\"value\":true}")
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.ok").isEqualTo(false);
		}
		this.client.get()
			.uri("/api/remediation/feature-flags/__proto__")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.availableFlags.length()").isEqualTo(7);
	}

	@Test
	void malformedOversizedAndNonJsonBodiesGetProblemsAndChangeNothing() {
		long version = version();
		post("/api/remediation/feature-flag", "{\"flag\": \"errorInjectionEnabled\", \"value\": fals")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).startsWith("The request body is not valid JSON: "));
		assertBadRequest("[true]", "The request body must be a JSON object");
		assertBadRequest("{\"flag\":\"cacheEnabled\",\"value\":false,\"flag\":\"errorInjectionEnabled\"}",
				"The request body is not valid JSON: Duplicate Object property \"flag\"");
		assertBadRequest("{\"flag\":\"cacheEnabled\",\"value\":false,\"reason\":\"" + "r".repeat(1001) + "\"}",
				"reason size must be between 0 and 1000");
		assertBadRequest("{\"flag\":\"cacheEnabled\",\"value\":false,\"problemId\":\"" + "p".repeat(201) + "\"}",
				"problemId size must be between 0 and 200");
		assertBadRequest("{\"flag\":\"cacheEnabled\",\"value\":false,\"triggeredBy\":\"" + "t".repeat(201) + "\"}",
				"triggeredBy size must be between 0 and 200");

		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.TEXT_PLAIN)
			.body("{\"flag\":\"cacheEnabled\",\"value\":false}")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectBody()
			.jsonPath("$.ok").isEqualTo(false)
			.jsonPath("$.error").isNotEmpty();

		String huge = "{\"flag\":\"cacheEnabled\",\"value\":false,\"reason\":\"" + "x".repeat(70_000) + "\"}";
		post("/api/remediation/feature-flag", huge).expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("The request body is larger than 64 KiB");

		assertThat(version()).isEqualTo(version);
	}

	@Test
	void oversizedChunkedBodyWithoutLengthIsRefusedToo() throws Exception {
		byte[] huge = ("{\"flag\":\"cacheEnabled\",\"value\":false,\"reason\":\"" + "x".repeat(70_000) + "\"}")
			.getBytes();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port
				+ "/api/remediation/feature-flag"))
			.header("Content-Type", "application/json")
			// A publisher of unknown length makes the client send the body chunked.
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
			.build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("\"ok\":false");
	}

	@Test
	void bodiesThatTrickleAreCutOffAndEvenCallersThatMayWriteCannotHoldEveryRequestThread() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(10);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				// Changes from this host, which may write without a key: a pool of two places of their own.
				answers.add(clients.submit(() -> new RawHttp(this.port).trickleABody("127.0.0.1",
						"/api/remediation/feature-flag")));
			}
			Thread.sleep(300);
			long started = System.nanoTime();
			this.client.get().uri("/api/remediation/feature-flags").exchange().expectStatus().isOk();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a read while they trickle")
				.isLessThan(Duration.ofMillis(500));
			List<String> statuses = new ArrayList<>();
			for (Future<String> answer : answers) {
				String text = answer.get(30, TimeUnit.SECONDS);
				assertThat(text).contains("application/problem+json").contains("\"ok\":false");
				statuses.add(text.substring(9, 12));
			}
			assertThat(statuses).containsOnly("408", "503");
			assertThat(statuses).filteredOn("408"::equals).as("cut off at the deadline").hasSize(2);
		}
		finally {
			clients.shutdownNow();
		}
	}

	/**
	 * A poller sends request after request on one connection; Tomcat's default closed it after
	 * 100, and the reconnections made the read's tail (docs/deployment.md).
	 */
	@Test
	void pollersKeepTheirConnectionBeyondAHundredRequests() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
			for (int i = 1; i <= 150; i++) {
				out.write("GET /api/remediation/feature-flags HTTP/1.1\r\nHost: localhost\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				List<String> head = new ArrayList<>();
				for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
					head.add(line.toLowerCase());
				}
				assertThat(head.get(0)).as("answer %d", i).startsWith("http/1.1 200");
				assertThat(head).as("answer %d", i).doesNotContain("connection: close");
				int length = head.stream()
					.filter((line) -> line.startsWith("content-length:"))
					.map((line) -> Integer.parseInt(line.substring("content-length:".length()).trim()))
					.findFirst()
					.orElseThrow();
				assertThat(in.readNBytes(length)).hasSize(length);
			}
		}
	}

	private static String readLine(BufferedInputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new IOException("The server closed the connection");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	@Test
	void flagListCarriesItsVersionAsETagAndAnswers304WhenUnchanged() {
		long version = version();
		this.client.get()
			.uri("/api/remediation/feature-flags")
			.header("If-None-Match", "\"" + version + "\"")
			.exchange()
			.expectStatus()
			.isNotModified()
			.expectHeader()
			.valueEquals("ETag", "\"" + version + "\"");

		post("/api/remediation/feature-flag", "{\"flag\":\"errorRate\",\"value\":" + (0.1 + (version % 5) / 100.0) + "}");

		this.client.get()
			.uri("/api/remediation/feature-flags")
			.header("If-None-Match", "\"" + version + "\"")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("ETag", "\"" + (version + 1) + "\"");
	}

	@Test
	void flagListRefusesOtherMethodsWithAProblem() {
		this.client.delete()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectHeader()
			.valueEquals("Allow", "GET, HEAD")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(405)
			.jsonPath("$.ok").isEqualTo(false);
	}

	@Test
	void singleFlagShowsItsDeclarationAndLastChange() {
		post("/api/remediation/feature-flag", "{\"flag\":\"canaryTrafficPercent\",\"value\":49,"
				+ "\"triggeredBy\":\"dynatrace_workflow\"}");
		post("/api/remediation/feature-flag", "{\"flag\":\"canaryTrafficPercent\",\"value\":10,"
				+ "\"triggeredBy\":\"dynatrace_workflow\"}");

		this.client.get()
			.uri("/api/remediation/feature-flags/canaryTrafficPercent")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name").isEqualTo("canaryTrafficPercent")
			.jsonPath("$.value").isEqualTo(10)
			.jsonPath("$.type").isEqualTo("integer")
			.jsonPath("$.default").isEqualTo(50)
			.jsonPath("$.range.min").isEqualTo(0)
			.jsonPath("$.range.max").isEqualTo(100)
			.jsonPath("$.description").isNotEmpty()
			.jsonPath("$.lastChange.triggeredBy").isEqualTo("dynatrace_workflow")
			.jsonPath("$.lastChange.at").value(String.class, (at) -> assertThat(at).matches("\\d{4}-.*Z"));
	}

	@Test
	void auditListsChangesNewestFirstWithWhoAndFromWhere() {
		post("/api/remediation/feature-flag", "{\"flag\":\"slowResponsesEnabled\",\"value\":true}");
		post("/api/remediation/feature-flag", "{\"flag\":\"slowResponsesEnabled\",\"value\":false,"
				+ "\"reason\":\"Speed up during high load\"}");

		this.client.get()
			.uri("/api/remediation/audit?flag=slowResponsesEnabled&limit=1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.count").isEqualTo(1)
			.jsonPath("$.entries[0].newValue").isEqualTo(false)
			.jsonPath("$.entries[0].reason").isEqualTo("Speed up during high load")
			.jsonPath("$.entries[0].caller").isEqualTo("anonymous")
			.jsonPath("$.entries[0].remoteAddress")
			.value(String.class, (address) -> assertThat(address).isIn("127.0.0.1", "0:0:0:0:0:0:0:1"))
			.jsonPath("$.entries[0].event.status").isEqualTo("DISABLED");

		this.client.get()
			.uri("/api/remediation/audit?since=2999-01-01T00:00:00Z")
			.exchange()
			.expectBody()
			.jsonPath("$.count").isEqualTo(0);
		this.client.get().uri("/api/remediation/audit?limit=1001").exchange().expectStatus().isBadRequest();
		this.client.get().uri("/api/remediation/audit?since=yesterday").exchange().expectStatus().isBadRequest();
	}

	@Test
	void conditionalChangeOnAStaleVersionIsRefused() {
		long version = version();
		this.client.post()
			.uri("/api/remediation/feature-flag")
			.contentType(MediaType.APPLICATION_JSON)
			.header("If-Match", "\"" + (version - 1) + "\"")
			.body("{\"flag\":\"rateLimitingEnabled\",\"value\":" + (version % 2 == 0) + "}")
			.exchange()
			.expectStatus()
			.isEqualTo(412)
			.expectBody()
			.jsonPath("$.version").isEqualTo((int) version);
	}

	@Test
	void dryRunAnswersButChangesNothing() {
		long version = version();
		boolean current = flagValue("rateLimitingEnabled");

		post("/api/remediation/feature-flag", "{\"flag\":\"rateLimitingEnabled\",\"value\":" + !current
				+ ",\"dryRun\":true}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.dryRun").isEqualTo(true)
			.jsonPath("$.changed").isEqualTo(true);

		assertThat(version()).isEqualTo(version);
		assertThat(flagValue("rateLimitingEnabled")).isEqualTo(current);
	}

	@Test
	void concurrentTogglesFromManyThreadsLoseNoUpdate() throws Exception {
		long before = version();
		int auditBefore = auditCount();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		List<Future<Integer>> results = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			boolean value = t % 2 == 0;
			results.add(executor.submit(() -> {
				int changed = 0;
				for (int i = 0; i < 25; i++) {
					Map<?, ?> body = post("/api/remediation/feature-flag",
							"{\"flag\":\"cacheEnabled\",\"value\":" + value + "}")
						.expectStatus()
						.isOk()
						.expectBody(Map.class)
						.returnResult()
						.getResponseBody();
					if (Boolean.TRUE.equals(body.get("changed"))) {
						changed++;
					}
				}
				return changed;
			}));
		}
		int changed = 0;
		for (Future<Integer> result : results) {
			changed += result.get();
		}
		executor.shutdown();

		assertThat(changed).isPositive();
		assertThat(version()).isEqualTo(before + changed);
		assertThat(auditCount()).isEqualTo(auditBefore + changed);
	}

	private RestTestClient.ResponseSpec post(String path, String json) {
		return this.client.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).exchange();
	}

	private void assertBadRequest(String json, String detail) {
		post("/api/remediation/feature-flag", json).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.detail").isEqualTo(detail)
			.jsonPath("$.ok").isEqualTo(false)
			.jsonPath("$.error").isEqualTo(detail);
	}

	private long version() {
		Map<?, ?> body = this.client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return ((Number) body.get("version")).longValue();
	}

	private boolean flagValue(String flag) {
		Map<?, ?> body = this.client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return (Boolean) ((Map<?, ?>) body.get("flags")).get(flag);
	}

	private int auditCount() {
		Map<?, ?> body = this.client.get()
			.uri("/api/remediation/audit?limit=1000")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return ((Number) body.get("count")).intValue();
	}

}
