package io.bizobs.remediation.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * What an attacker sends, on a raw socket, so every path goes on the wire exactly as written:
 * each write endpoint under many spellings of its path, without a key, with a wrong one, with a
 * read key and with a key for another flag. None may change anything, and every answer is a
 * problem document.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class HostileRequestTests {

	private static final List<Write> WRITES = List.of(
			new Write("POST", "/api/remediation/feature-flag", "{\"flag\":\"cacheEnabled\",\"value\":false}"),
			new Write("POST", "/api/remediation/feature-flags/bulk", "{\"flags\":{\"cacheEnabled\":false}}"),
			new Write("POST", "/api/remediation/error-rate", "{\"targetRate\":0.01,\"duration\":60}"),
			new Write("DELETE", "/api/remediation/error-rate", ""));

	/** No key, a wrong one, a read key, and a write key for errorInjectionEnabled only. */
	private static final List<String> CALLERS = List.of("", "X-API-Key: not-a-key\r\n",
			"Authorization: Api-Token read-key\r\n", "Authorization: Bearer workflow-key\r\n");

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	@Autowired
	RestTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		ApiKeyTests.keys(registry);
		// Each wrong key here must be answered 401, not slowed down: the throttle has tests of its own.
		registry.add("remediation.security.failed-attempts.limit", () -> "1000000");
	}

	@Test
	void noSpellingOfAWritePathChangesAnythingWithoutTheRightKey() throws IOException {
		// A ramp for the DELETEs to try to stop; it holds errorRate where it is, so its steps change nothing.
		this.client.post()
			.uri("/api/remediation/error-rate")
			.header("X-API-Key", "full-access-key")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"targetRate\":0.12,\"duration\":3600}")
			.exchange()
			.expectStatus()
			.isAccepted();
		long version = version();
		int audited = auditEntries();
		List<String> answers = new ArrayList<>();
		for (Write write : WRITES) {
			for (String path : spellings(write.path())) {
				for (String caller : CALLERS) {
					Answer answer = send(request(write.method(), path, caller, write.body()));
					answers.add(write.method() + " " + path + " [" + caller.strip() + "] → " + answer.status());
					assertThat(answer.status()).as(answers.get(answers.size() - 1)).isBetween(400, 499);
					assertThat(answer.isProblem()).as(answers.get(answers.size() - 1) + " " + answer.head()).isTrue();
				}
			}
		}
		assertThat(answers).hasSizeGreaterThan(300);
		assertThat(version()).isEqualTo(version);
		assertThat(auditEntries()).isEqualTo(audited);
		this.client.get()
			.uri("/api/remediation/error-rate")
			.exchange()
			.expectBody()
			.jsonPath("$.ramp.status")
			.isEqualTo("RUNNING");
	}

	@Test
	void theRightKeyOnThePlainPathStillChangesTheFlag() throws IOException {
		long version = version();
		Answer answer = send(request("POST", "/api/remediation/feature-flag", "Authorization: Bearer workflow-key\r\n",
				"{\"flag\":\"errorInjectionEnabled\",\"value\":false}"));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(version()).isGreaterThan(version);
	}

	@Test
	void whatTomcatRefusesItselfIsAProblemToo() throws IOException {
		List<String> requests = List.of("GET /api/remediation/feature-flags%00 HTTP/1.1\r\n",
				"GET /api/remediation%2Ffeature-flags HTTP/1.1\r\n", "GET /api/remediation/feature-flags%zz HTTP/1.1\r\n",
				"GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n",
				"GET /api/remediation/feature-flags HTTP/1.1\r\nX-Padding: " + "x".repeat(20_000) + "\r\n",
				"GET /api/remediation/feature-flags HTTP/1.1\r\nX-Control: a\u0001b\r\n", "NOT A REQUEST LINE\r\n",
				"GET /api/remediation/feature-flags HTTP/7.0\r\n",
				"TRACE /api/remediation/feature-flags HTTP/1.1\r\n", "FOO /api/remediation/feature-flags HTTP/1.1\r\n",
				"PATCH /api/remediation/feature-flag HTTP/1.1\r\n");
		for (String request : requests) {
			Answer answer = send(request + "Host: localhost\r\nConnection: close\r\n\r\n");
			String what = request.substring(0, Math.min(80, request.length()));
			assertThat(answer.status()).as(what).isBetween(400, 505);
			assertThat(answer.isProblem()).as(what + " " + answer.head()).isTrue();
		}
	}

	@Test
	void malformedQueryStringsAreBadRequestsNotServerErrors() throws IOException {
		for (String target : List.of("/api/remediation/audit?limit=%zz", "/api/remediation/audit?=x",
				"/api/remediation/audit?x=%", "/actuator/health?%e9=1", "/actuator/prometheus?a=1&=2")) {
			Answer answer = send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(answer.status()).as(target).isEqualTo(400);
			assertThat(answer.isProblem()).as(target + " " + answer.head()).isTrue();
		}
	}

	@Test
	void anUnparseableAcceptHeaderStillGetsAProblem() throws IOException {
		for (String accept : List.of("///", "a/b;q=x", "x".repeat(200))) {
			Answer answer = send(request("POST", "/api/remediation/feature-flag", "Accept: " + accept + "\r\n", "{}"));
			assertThat(answer.status()).as(accept).isEqualTo(401);
			assertThat(answer.isProblem()).as(accept + " " + answer.head()).isTrue();
		}
	}

	@Test
	void aMultipartBodyIsRefusedAsAnUnsupportedTypeAndIgnoredByAGet() throws IOException {
		String part = "--x\r\nContent-Disposition: form-data; name=\"flag\"\r\n\r\ncacheEnabled\r\n--x--\r\n";
		// Without a boundary Spring's multipart parsing failed on every path; with one it parsed what nothing reads.
		for (String contentType : List.of("multipart/form-data", "multipart/form-data; boundary=x")) {
			String headers = "Content-Type: " + contentType + "\r\n";
			for (String request : List.of(
					withBody("POST", "/api/journey-simulation/simulate-journey", headers + "X-API-Key: read-key\r\n", part),
					withBody("POST", "/api/remediation/feature-flag", headers + "X-API-Key: full-access-key\r\n", part))) {
				Answer answer = send(request);
				String what = request.substring(0, request.indexOf(" HTTP/1.1")) + " " + contentType;
				assertThat(answer.status()).as(what).isEqualTo(415);
				assertThat(answer.isProblem()).as(what + " " + answer.head()).isTrue();
			}
			Answer read = send(withBody("GET", "/api/remediation/audit", headers, part));
			assertThat(read.status()).as(contentType).isEqualTo(200);
			assertThat(read.body()).contains("\"ok\":true");
		}
	}

	@Test
	void aWildcardContentTypeOnAHealthCheckIsIgnored() throws IOException {
		for (String contentType : List.of("*/*", "application/*", "application/*+json")) {
			String header = "Content-Type: " + contentType + "\r\n";
			for (String request : List.of(get("/actuator/health", header),
					withBody("GET", "/actuator/health", header, "{}"))) {
				Answer answer = send(request);
				assertThat(answer.status()).as(contentType).isEqualTo(200);
				assertThat(answer.body()).as(contentType).contains("\"status\":\"UP\"");
			}
			// A change still names the type it takes.
			Answer change = send(withBody("POST", "/api/remediation/feature-flag",
					header + "X-API-Key: full-access-key\r\n", "{\"flag\":\"cacheEnabled\",\"value\":false}"));
			assertThat(change.status()).as(contentType).isEqualTo(415);
			assertThat(change.isProblem()).as(contentType + " " + change.head()).isTrue();
		}
	}

	@Test
	void anAcceptListingNoMediaTypeGetsPrometheusInItsDefaultFormat() throws IOException {
		for (String accept : List.of("Accept: \r\n", "Accept: ,\r\n", "Accept:  , ,\r\n", "Accept: text/plain,\r\n",
				"Accept: ,text/plain\r\n", "Accept: \r\nAccept: \r\n")) {
			Answer answer = send(get("/actuator/prometheus", accept));
			assertThat(answer.status()).as(accept).isEqualTo(200);
			assertThat(answer.head()).as(accept).containsIgnoringCase("Content-Type: text/plain;version=0.0.4");
			assertThat(answer.body()).as(accept).contains("# TYPE jvm_threads_live_threads gauge");
		}
		Answer openMetrics = send(get("/actuator/prometheus", "Accept: application/openmetrics-text,\r\n"));
		assertThat(openMetrics.status()).isEqualTo(200);
		assertThat(openMetrics.head()).containsIgnoringCase("Content-Type: application/openmetrics-text");
	}

	@Test
	void aRefusedKeyIsChallengedAndNeverEchoed() throws IOException {
		Answer answer = send(request("POST", "/api/remediation/feature-flag", "X-API-Key: wrong-secret-1234\r\n", "{}"));
		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.head()).containsIgnoringCase("WWW-Authenticate: Api-Token");
		assertThat(answer.body()).contains("\"ok\":false").doesNotContain("wrong-secret-1234");
	}

	/** Path parameters, percent-encoded letters, encoded slashes and dots, dot segments, doubled and trailing slashes, case. */
	static List<String> spellings(String path) {
		List<String> spellings = new ArrayList<>();
		String[] segments = path.substring(1).split("/");
		for (int i = 0; i < segments.length; i++) {
			spellings.add(replaceSegment(segments, i, segments[i] + ";x=1"));
			spellings.add(replaceSegment(segments, i, segments[i] + ";"));
			spellings.add(replaceSegment(segments, i, "%" + Integer.toHexString(segments[i].charAt(0))
					+ segments[i].substring(1)));
			spellings.add(replaceSegment(segments, i, "%" + Integer.toHexString(segments[i].charAt(0)).toUpperCase()
					+ segments[i].substring(1)));
			spellings.add(replaceSegment(segments, i, segments[i].toUpperCase()));
			spellings.add(replaceSegment(segments, i, "x/../" + segments[i]));
			spellings.add(replaceSegment(segments, i, "x/..;/" + segments[i]));
			spellings.add(replaceSegment(segments, i, "x/%2e%2e/" + segments[i]));
			spellings.add(replaceSegment(segments, i, "./" + segments[i]));
			spellings.add(replaceSegment(segments, i, "%2e/" + segments[i]));
			spellings.add(replaceSegment(segments, i, "/" + segments[i]));
		}
		spellings.add(path.replace("/", "%2F").substring(3));
		spellings.add(path.replaceFirst("/", "/%2f").replaceFirst("%2f/", "%2f"));
		spellings.add(path + "/");
		spellings.add(path + "//");
		spellings.add(path + "/.");
		spellings.add(path + "%20");
		spellings.add(path + ".json");
		spellings.add(path + "?x=1");
		spellings.add("/" + path);
		spellings.add(path.replace("/", "\\"));
		spellings.add(path.replace("-", "%2D"));
		spellings.add("http://localhost" + path);
		return spellings;
	}

	private static String replaceSegment(String[] segments, int index, String replacement) {
		StringBuilder path = new StringBuilder();
		for (int i = 0; i < segments.length; i++) {
			path.append('/').append((i == index) ? replacement : segments[i]);
		}
		return path.toString();
	}

	private long version() {
		Map<?, ?> flags = this.client.get()
			.uri("/api/remediation/feature-flags")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return ((Number) flags.get("version")).longValue();
	}

	private int auditEntries() {
		Map<?, ?> audit = this.client.get()
			.uri("/api/remediation/audit?limit=1000")
			.exchange()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		return ((Number) audit.get("count")).intValue();
	}

	private static String request(String method, String path, String headers, String body) {
		return withBody(method, path, headers + "Content-Type: application/json\r\n", body);
	}

	/** The headers as given, with the body's length. */
	private static String withBody(String method, String path, String headers, String body) {
		return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Length: "
				+ body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
	}

	/** No body, and no length: as curl sends a GET. */
	private static String get(String path, String headers) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
	}

	private Answer send(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			in.transferTo(received);
			String response = received.toString(StandardCharsets.UTF_8);
			int end = response.indexOf("\r\n\r\n");
			String head = (end >= 0) ? response.substring(0, end) : response;
			String body = (end >= 0) ? response.substring(end + 4) : "";
			int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
			return new Answer(status, head, body);
		}
	}

	private record Write(String method, String path, String body) {
	}

	private record Answer(int status, String head, String body) {

		boolean isProblem() {
			return this.head.toLowerCase().contains("content-type: application/problem+json")
					&& this.body.contains("\"ok\":false");
		}

	}

}
