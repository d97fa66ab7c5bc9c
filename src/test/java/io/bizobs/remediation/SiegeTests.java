package io.bizobs.remediation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a hostile caller without a key does at the scale that once broke the service, from many
 * addresses of the loopback range on plain sockets: slow headers beyond the connection limit,
 * trickling bodies, floods of wrong keys. The limits are small here (200 connections, a 2 s
 * header deadline), so each attack stays short; the full-size siege is bench/siege.sh.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SiegeTests {

	private static final String READ = "GET /api/remediation/feature-flags HTTP/1.1\r\nHost: localhost\r\n";

	@TempDir
	static Path dataDir;

	@LocalServerPort
	int port;

	private final List<Socket> attackers = new ArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("remediation.data-dir", () -> dataDir.toString());
		registry.add("remediation.security.api-key", () -> "workflow-key");
		registry.add("remediation.security.keys[0].name", () -> "dashboard");
		registry.add("remediation.security.keys[0].key", () -> "read-key");
		registry.add("server.tomcat.max-connections", () -> "200");
		registry.add("remediation.connections.header-timeout", () -> "2s");
		registry.add("remediation.connections.sweep-interval", () -> "200ms");
		registry.add("remediation.connections.max-incomplete-per-client", () -> "8");
		registry.add("remediation.requests.body-timeout", () -> "1s");
		registry.add("remediation.guard.max-changes", () -> "100000");
	}

	@AfterEach
	void closeAttackers() throws IOException {
		for (Socket socket : this.attackers) {
			socket.close();
		}
		this.attackers.clear();
	}

	@Test
	void slowHeadersFromManyAddressesBeyondTheConnectionLimitNeverKeepReadsOut() throws Exception {
		RawHttp http = new RawHttp(this.port);
		for (int i = 0; i < 600; i++) {
			Socket socket = http.connect(address(i % 300));
			socket.getOutputStream().write(READ.getBytes(StandardCharsets.US_ASCII));
			this.attackers.add(socket);
		}

		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			long started = System.nanoTime();
			RawHttp.Answer read = http.get("127.0.0.1", "/api/remediation/feature-flags", "");
			millis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
			assertThat(read.status()).isEqualTo(200);
			trickle();
		}

		assertThat(millis).as("each read's milliseconds while 600 slow clients press on 200 connections")
			.allMatch((ms) -> ms < 2000);
		assertThat(this.attackers.stream().filter(SiegeTests::closedByTheServer).count())
			.as("slow clients the service let go to make room").isGreaterThanOrEqualTo(400);
		closeAttackers();
		assertThat(http.get("127.0.0.1", "/api/remediation/feature-flags", "").status()).isEqualTo(200);
	}

	@Test
	void aRequestWhoseHeadersTakeLongerThanTheDeadlineLosesItsConnectionThoughItNeverPauses() throws Exception {
		Socket socket = new RawHttp(this.port).connect("127.0.0.2");
		this.attackers.add(socket);
		OutputStream out = socket.getOutputStream();
		out.write(READ.getBytes(StandardCharsets.US_ASCII));
		long started = System.nanoTime();
		boolean closed = false;
		// A byte every 300 ms: Tomcat's 5 s between two bytes never runs out.
		while (!closed && System.nanoTime() - started < Duration.ofSeconds(8).toNanos()) {
			Thread.sleep(300);
			closed = closedByTheServer(socket);
		}

		assertThat(closed).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1900),
				Duration.ofSeconds(5));
	}

	@Test
	void oneClientKeepsAtMostItsShareOfUnfinishedRequests() throws Exception {
		RawHttp http = new RawHttp(this.port);
		for (int i = 0; i < 20; i++) {
			Socket socket = http.connect("127.0.0.3");
			socket.getOutputStream().write(READ.getBytes(StandardCharsets.US_ASCII));
			this.attackers.add(socket);
		}

		await().atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(this.attackers.stream().filter(SiegeTests::closedByTheServer).count())
				.isEqualTo(12));
		Thread.sleep(500);
		assertThat(this.attackers.stream().filter(SiegeTests::closedByTheServer).count()).as("its share stays")
			.isEqualTo(12);
	}

	@Test
	void bodiesThatTrickleHoldNoMoreThanTheirShareOfRequestThreads() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(12);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				String from = address(i);
				answers.add(clients.submit(() -> new RawHttp(this.port).trickleABody(from, "/ofrep/v1/evaluate/flags")));
			}
			Thread.sleep(300);
			long started = System.nanoTime();
			assertThat(new RawHttp(this.port).get("127.0.0.1", "/api/remediation/feature-flags", "").status())
				.isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a read while they trickle")
				.isLessThan(Duration.ofMillis(500));
			List<String> statuses = new ArrayList<>();
			for (Future<String> answer : answers) {
				statuses.add(answer.get(30, TimeUnit.SECONDS).substring(9, 12));
			}
			assertThat(statuses).containsOnly("408", "503");
			assertThat(statuses).filteredOn("408"::equals).hasSizeLessThanOrEqualTo(4);
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void bodiesDeclaredButNeverSentHoldNoRequestThreadOnceRefused() throws Exception {
		// Refused unread: without a key (401), too large (413), too many arriving slowly (429, 503).
		List<String> requests = List.of("POST /api/remediation/feature-flag", "POST /ofrep/v1/evaluate/flags");
		for (int i = 0; i < 24; i++) {
			Socket socket = new Socket();
			socket.bind(new InetSocketAddress(address(i % 4), 0));
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 2000);
			this.attackers.add(socket);
			socket.getOutputStream()
				.write((requests.get(i % 2) + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + ((i % 4 < 2) ? 100_000 : 60_000) + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
		}
		Thread.sleep(300);

		for (int i = 0; i < 5; i++) {
			long started = System.nanoTime();
			assertThat(new RawHttp(this.port).get("127.0.0.1", "/api/remediation/feature-flags", "").status())
				.isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a read while they wait to be read")
				.isLessThan(Duration.ofMillis(500));
			Thread.sleep(200);
		}
		for (Socket socket : this.attackers) {
			assertThat(answerUntilClosed(socket)).as("each refused with its whole answer, and its connection closed rather than read on")
				.matches("HTTP/1.1 (401|408|413|429|503) [\\s\\S]*\"status\":(401|408|413|429|503)[\\s\\S]*}(\\r\\n0\\r\\n\\r\\n)?");
		}
	}

	@Test
	void wrongKeysFromTheWorkflowsAddressAndFortyOthersNeverKeepTheRightKeyOut() throws Exception {
		RawHttp http = new RawHttp(this.port);
		List<Integer> wrong = new ArrayList<>();
		for (int round = 0; round < 10; round++) {
			for (int i = 0; i < 100; i++) {
				String from = (i % 2 == 0) ? "127.0.0.1" : address(i % 40);
				wrong.add(http.get(from, "/api/remediation/audit?limit=1", "X-API-Key: guess-" + i + "\r\n").status());
			}
			RawHttp.Answer change = http.send("127.0.0.1", "POST", "/api/remediation/feature-flag",
					"Authorization: Api-Token workflow-key\r\n",
					"{\"flag\":\"cacheEnabled\",\"value\":" + (round % 2 == 0) + "}");
			assertThat(change.status()).as("the workflow's change after %s wrong keys", wrong.size()).isEqualTo(200);
		}

		assertThat(wrong).containsOnly(401, 429);
		assertThat(wrong.subList(200, 1000)).as("once the limits are passed, guessing is told to wait")
			.containsOnly(429);
		RawHttp.Answer refused = http.get("127.0.0.1", "/api/remediation/audit", "X-API-Key: guess\r\n");
		assertThat(refused.head()).containsIgnoringCase("Retry-After:");
		assertThat(refused.body()).contains("a valid key is accepted meanwhile");
	}

	@Test
	void callersWithoutAKeySeeNoAddressesInTheAudit() throws Exception {
		RawHttp http = new RawHttp(this.port);
		http.send("127.0.0.1", "POST", "/api/remediation/feature-flag", "X-API-Key: workflow-key\r\n",
				"{\"flag\":\"canaryTrafficPercent\",\"value\":" + (10 + (int) (Math.random() * 50)) + "}");

		assertThat(http.get("127.0.0.9", "/api/remediation/audit?limit=1", "").body()).contains("\"ok\":true")
			.doesNotContain("127.0.0.1");
		assertThat(http.get("127.0.0.9", "/api/remediation/audit?limit=1", "X-API-Key: read-key\r\n").body())
			.contains("\"remoteAddress\":\"127.0.0.1\"");
	}

	@Test
	void journeysNeedAKeyWhereKeysAreConfigured() throws Exception {
		RawHttp http = new RawHttp(this.port);
		String journey = "{\"companyName\":\"Umbrella Corporation\",\"journey\":{\"steps\":[{\"stepName\":\"Verification\"}]}}";

		RawHttp.Answer anonymous = http.send("127.0.0.4", "POST", "/api/journey-simulation/simulate-journey", "",
				journey);
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.isProblem()).isTrue();
		assertThat(http.send("127.0.0.4", "POST", "/api/journey-simulation/simulate-journey",
				"X-API-Key: read-key\r\n", journey).status()).isEqualTo(200);
	}

	@Test
	void bodiesNestedTooDeeplyAreRefusedWithoutNamingTheParserAndAnswersAreJsonOnly() throws Exception {
		RawHttp http = new RawHttp(this.port);
		String deep = "{\"flags\":{\"cacheEnabled\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}}";

		RawHttp.Answer nested = http.send("127.0.0.1", "POST", "/api/remediation/feature-flags/bulk",
				"X-API-Key: workflow-key\r\n", deep);
		assertThat(nested.status()).isEqualTo(400);
		assertThat(nested.body()).contains("nesting depth").doesNotContain("StreamReadConstraints").doesNotContain("`");

		for (String accept : List.of("application/yaml", "application/xml", "application/cbor")) {
			RawHttp.Answer audit = http.get("127.0.0.1", "/api/remediation/audit", "Accept: " + accept + "\r\n");
			assertThat(audit.status()).as(accept).isEqualTo(406);
			assertThat(audit.isProblem()).as(accept + ": " + audit.head()).isTrue();
			assertThat(audit.body()).as(accept).doesNotContain(accept);
		}
	}

	/** A client sends one more byte of its headers; a connection closed meanwhile fails this within a few tries. */
	private void trickle() {
		for (Socket socket : this.attackers) {
			try {
				socket.getOutputStream().write('a');
			}
			catch (IOException ex) {
				// Closed by the service: counted at the end.
			}
		}
	}

	/**
	 * What the service answered before it closed the connection, or what came within 6 s if it kept
	 * it open (a slow body's deadline is checked between reads of up to the 5 s connection time-out).
	 */
	private static String answerUntilClosed(Socket socket) throws IOException {
		socket.setSoTimeout(6000);
		try {
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		}
		catch (java.net.SocketTimeoutException ex) {
			return "still open after 6 s";
		}
	}

	/** Whether the service closed the connection: a read ends at once rather than waiting for an answer. */
	private static boolean closedByTheServer(Socket socket) {
		try {
			socket.setSoTimeout(1);
			InputStream in = socket.getInputStream();
			return in.read() == -1;
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** The n-th of the loopback range's addresses that this test uses for attackers: 127.0.1.x and on. */
	private static String address(int n) {
		return "127.0." + (1 + n / 250) + "." + (1 + n % 250);
	}

}
