package io.bizobs.remediation;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, started as the container starts it: on the context prepared at build time
 * ({@code -Dspring.aot.enabled=true}), configured by environment variables only. What the build
 * decided cannot be seen in any other test, which all run without AOT: a bean conditional on
 * {@code DT_ENVIRONMENT} was decided there, unset, and the container sent no event at all. Run by
 * Failsafe after {@code package}.
 */
class PackagedJarTests {

	private final MockWebServer dynatrace = new MockWebServer();

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path dataDir;

	private Process service;

	private Path log;

	@BeforeEach
	void start() throws IOException {
		this.dynatrace.start();
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.service != null) {
			this.service.destroy();
			this.service.waitFor(20, TimeUnit.SECONDS);
		}
		this.dynatrace.close();
	}

	@Test
	void theContainersJarSendsAChangeToTheDynatraceOfItsEnvironment() throws Exception {
		this.dynatrace.enqueue(new MockResponse.Builder().code(201)
			.body("{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"corr-jar\",\"status\":\"OK\"}]}")
			.build());
		int port = freePort();
		startJar(port);

		HttpResponse<String> change = this.http.send(HttpRequest.newBuilder(URI.create(base(port) + "/feature-flag"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"flag\":\"errorInjectionEnabled\",\"value\":false,"
					+ "\"reason\":\"Error rate above 5%\",\"triggeredBy\":\"dynatrace_workflow\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
		assertThat(change.body()).contains("\"eventSent\":true", "\"correlationId\":\"corr-jar\"");
		RecordedRequest event = this.dynatrace.takeRequest(10, TimeUnit.SECONDS);
		assertThat(event).as("the event at Dynatrace; the service's log: %s", this.log).isNotNull();
		assertThat(event.getTarget()).isEqualTo("/api/v2/events/ingest");
		assertThat(event.getHeaders().get("Authorization")).isEqualTo("Api-Token dt0c01.JAR-TOKEN");
		assertThat(event.getBody().utf8()).contains("\"eventType\":\"CUSTOM_CONFIGURATION\"");
	}

	private void startJar(int port) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		this.log = this.dataDir.resolve("service.log");
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dspring.aot.enabled=true", "-jar",
				jar().toString(), "--server.port=" + port))
			.redirectErrorStream(true)
			.redirectOutput(this.log.toFile());
		builder.environment().put("DT_ENVIRONMENT", this.dynatrace.url("/").toString());
		builder.environment().put("DT_API_TOKEN", "dt0c01.JAR-TOKEN");
		builder.environment().put("REMEDIATION_DATA_DIR", this.dataDir.resolve("data").toString());
		this.service = builder.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(this.service.isAlive()).as("the service exited; its log: %s", Files.readString(this.log))
				.isTrue();
			try {
				HttpResponse<Void> flags = this.http.send(HttpRequest.newBuilder(URI.create(base(port) + "/feature-flags"))
					.build(), HttpResponse.BodyHandlers.discarding());
				if (flags.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(100);
		}
		throw new AssertionError("The service did not answer within 90 s; its log: " + Files.readString(this.log));
	}

	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("bizobs-remediation-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No packaged jar in target" + File.separator
						+ ": this test runs after mvn package (Failsafe)"));
		}
	}

	private static String base(int port) {
		return "http://127.0.0.1:" + port + "/api/remediation";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
