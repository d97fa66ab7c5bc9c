package io.bizobs.remediation.flags.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.ServiceInstances;
import io.bizobs.remediation.StreamReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The change stream lets go of readers that went away within seconds, shares its slots so that
 * no set of clients keeps another out, and refuses streams beyond its caps with 429. One instance
 * for all: at most 6 streams, 3 per address, and a read key; each test leaves none open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlagStreamBoundsTests {

	@TempDir
	static Path dataDir;

	private final ServiceInstances instances = new ServiceInstances();

	private final List<Socket> sockets = new ArrayList<>();

	private String url;

	private int port;

	@BeforeAll
	void start() {
		this.url = this.instances.start("--remediation.data-dir=" + dataDir,
				"--remediation.stream.heartbeat=200ms", "--remediation.stream.max-streams=6",
				"--remediation.stream.max-streams-per-address=3", "--remediation.security.keys[0].name=dashboard",
				"--remediation.security.keys[0].key=dashboard-key", "--remediation.security.keys[1].name=operator",
				"--remediation.security.keys[1].key=operator-key", "--remediation.security.keys[1].access=write",
				"--remediation.guard.max-changes=1000");
		this.port = Integer.parseInt(this.url.substring(this.url.lastIndexOf(':') + 1));
	}

	@AfterEach
	void dropAll() throws IOException {
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.sockets.clear();
		await().atMost(Duration.ofSeconds(3)).until(() -> openStreams() == 0);
	}

	@AfterAll
	void stop() {
		this.instances.close();
	}

	@Test
	void streamsWhoseReadersWentAwayAreLetGoWithinSeconds() throws Exception {
		for (String address : List.of("127.0.0.1", "127.0.0.2")) {
			for (int i = 0; i < 3; i++) {
				assertThat(open(address).status()).isEqualTo(200);
			}
		}
		assertThat(openStreams()).isEqualTo(6);

		for (Socket socket : this.sockets) {
			socket.close();
		}

		await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(openStreams()).isZero());
		assertThat(open("127.0.0.1").status()).as("a new stream after the old ones went").isEqualTo(200);
	}

	@Test
	void streamsBeyondTheCapOfAnAddressAreRefusedWith429() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(open("127.0.0.1").status()).isEqualTo(200);
		}

		Response refused = open("127.0.0.1");

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.headers()).containsKey("retry-after");
		assertThat(refused.headers().get("content-type")).startsWith("application/problem+json");
		assertThat(refused.body()).contains("\"status\":429").contains("\"ok\":false");
		assertThat(open("127.0.0.2").status()).as("another address").isEqualTo(200);
		assertThat(openStreams()).isEqualTo(4);
	}

	@Test
	void whenEverySlotIsTakenANewcomerTakesOneFromTheClientHoldingTheMost() throws Exception {
		for (String address : List.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.2")) {
			assertThat(open(address).status()).isEqualTo(200);
		}

		assertThat(open("127.0.0.3").status()).isEqualTo(200);

		// The oldest stream of one of the two clients holding three has ended.
		assertThat(List.of(this.sockets.get(0), this.sockets.get(3))).filteredOn(FlagStreamBoundsTests::ends)
			.hasSize(1);
		assertThat(openStreams()).isEqualTo(6);
		assertThat(open("127.0.0.4").status()).as("a fourth client, while one still holds three").isEqualTo(200);
		assertThat(openStreams()).isEqualTo(6);
	}

	@Test
	void whenEveryClientHoldsNoMoreThanItsShareAStreamBeyondTheCapIsRefusedWith429() throws Exception {
		for (String address : List.of("127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3")) {
			assertThat(open(address).status()).isEqualTo(200);
		}

		Response refused = open("127.0.0.1");

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.headers()).containsKey("retry-after");
		assertThat(refused.body()).contains("as many as it allows");
		assertThat(open("127.0.0.4").status()).as("a newcomer still gets one of the two").isEqualTo(200);
	}

	@Test
	void aCallerWithAKeyIsNeverKeptOutByClientsWithoutOne() throws Exception {
		for (String address : List.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2", "127.0.0.2")) {
			assertThat(open(address).status()).isEqualTo(200);
		}

		for (int i = 0; i < 6; i++) {
			assertThat(open("GET", "127.0.0.1", "X-API-Key: dashboard-key\r\n").status()).isEqualTo(200);
		}

		assertThat(openStreams()).isEqualTo(6);
		assertThat(open("127.0.0.3").status()).as("six keyed streams hold every slot").isEqualTo(429);
	}

	@Test
	void aReaderThatStopsReadingIsDroppedWithinHeartbeatsAndHoldsNoOneElseBack() throws Exception {
		Socket stalled = new Socket();
		// A small window: the events back up after a few dozen, as behind a reader that hung.
		stalled.setReceiveBufferSize(1024);
		assertThat(open("GET", stalled, "127.0.0.1", "").status()).isEqualTo(200);
		long last = -1;
		try (StreamReader following = StreamReader.open(this.url)) {
			RestClient client = RestClient.builder().baseUrl(this.url).defaultHeader("X-API-Key", "operator-key").build();
			for (int i = 1; i <= 150; i++) {
				last = ((Number) client.post()
					.uri("/api/remediation/feature-flag")
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("flag", "canaryTrafficPercent", "value", i % 2 * 50 + i % 50, "reason", "fill a stalled stream"))
					.retrieve()
					.body(Map.class)
					.get("version")).longValue();
			}
			long changed = last;
			await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(following.last()).isEqualTo(changed));
			assertThat(following.problems()).isEmpty();
			await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(openStreams()).isEqualTo(1));
		}
		List<Long> got = new ArrayList<>();
		BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			if (line.startsWith("id:")) {
				got.add(Long.parseLong(line.substring(3)));
			}
		}
		assertThat(got).as("what the stalled reader got before it was dropped").isSorted().doesNotHaveDuplicates();
		assertThat(got.get(got.size() - 1)).as("it was dropped, not waited for").isLessThan(last);
	}

	@Test
	void aReaderThatSendsMoreThanARequestAfterItsOwnLosesItsStream() throws Exception {
		assertThat(open("127.0.0.1").status()).isEqualTo(200);
		Socket socket = this.sockets.get(this.sockets.size() - 1);

		try {
			socket.getOutputStream().write(new byte[64 * 1024]);
		}
		catch (IOException ex) {
			// Closed while it was still sending: as good as seen below.
		}

		assertThat(endsOrBreaks(socket)).as("the stream ends within seconds").isTrue();
		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(openStreams()).isZero());
	}

	/** Whether the server ends this connection within seconds, closing it or resetting it. */
	private static boolean endsOrBreaks(Socket socket) throws IOException {
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		socket.setSoTimeout(500);
		try {
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			while (in.read(buffer) != -1) {
				// Heartbeats, until it ends.
				if (System.nanoTime() - deadline > 0) {
					return false;
				}
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** Whether the stream on this socket ends within seconds; heartbeats come meanwhile. */
	private static boolean ends(Socket socket) {
		long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		try {
			socket.setSoTimeout(500);
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			while (System.nanoTime() < deadline) {
				String line = in.readLine();
				if (line == null) {
					return true;
				}
			}
			return false;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The stream gauge as Prometheus reads it. */
	private int openStreams() {
		String metrics = RestClient.create(this.url).get().uri("/actuator/prometheus").retrieve().body(String.class);
		return metrics.lines()
			.filter((line) -> line.startsWith("bizobs_stream_open"))
			.map((line) -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Opens a stream from a local address of the loopback range on a plain socket, as a client
	 * that can vanish would, and reads the answer's head (and the body of a refusal).
	 */
	private Response open(String from) throws IOException {
		return open("GET", from);
	}

	private Response open(String method, String from) throws IOException {
		return open(method, from, "");
	}

	private Response open(String method, String from, String headerLines) throws IOException {
		return open(method, new Socket(), from, headerLines);
	}

	private Response open(String method, Socket socket, String from, String headerLines) throws IOException {
		socket.bind(new InetSocketAddress(from, 0));
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 2000);
		socket.setSoTimeout(5000);
		this.sockets.add(socket);
		socket.getOutputStream().write((method + " /api/remediation/feature-flags/stream HTTP/1.1\r\nHost: localhost\r\n"
				+ "Accept: text/event-stream\r\n" + headerLines + "\r\n").getBytes(StandardCharsets.US_ASCII));
		BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		int status = Integer.parseInt(in.readLine().split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while ((line = in.readLine()) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
		}
		StringBuilder body = new StringBuilder();
		if (status != 200) {
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			if (headers.containsKey("content-length")) {
				char[] chars = new char[length];
				int read = 0;
				while (read < length) {
					int n = in.read(chars, read, length - read);
					if (n < 0) {
						break;
					}
					read += n;
				}
				body.append(chars, 0, read);
			}
			else {
				// Chunked: the first chunk holds the whole problem.
				in.readLine();
				body.append(in.readLine());
			}
			socket.close();
		}
		return new Response(status, headers, body.toString());
	}

	private record Response(int status, Map<String, String> headers, String body) {
	}

}
