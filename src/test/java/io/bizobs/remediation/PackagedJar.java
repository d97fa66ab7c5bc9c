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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar in a process of its own, started as the container starts it: on the context
 * prepared at build time ({@code -Dspring.aot.enabled=true}), configured by environment variables.
 * For tests run by Failsafe after {@code package}.
 */
final class PackagedJar implements AutoCloseable {

	/** The JVM options the container runs with. */
	static final Path JVM_OPTIONS = Path.of("src", "main", "jvm", "jvm.options");

	private final Process process;

	private final int port;

	private final Path log;

	private PackagedJar(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the jar and waits until it answers.
	 * @param jvmOptions options before {@code -jar}, such as {@code @src/main/jvm/jvm.options}
	 * @param environment its environment variables besides this process's
	 * @param dataDir where its database and log go
	 */
	static PackagedJar start(List<String> jvmOptions, Map<String, String> environment, Path dataDir)
			throws IOException, InterruptedException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(jvmOptions);
		command.addAll(List.of("-Dspring.aot.enabled=true", "-jar", jar().toString(), "--server.port=" + port));
		Path log = dataDir.resolve("service.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("REMEDIATION_DATA_DIR", dataDir.resolve("data").toString());
		builder.environment().putAll(environment);
		PackagedJar jar = new PackagedJar(builder.start(), port, log);
		jar.awaitAnswer();
		return jar;
	}

	private void awaitAnswer() throws IOException, InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("The service exited; its log: " + log());
			}
			try {
				HttpResponse<Void> flags = http.send(HttpRequest.newBuilder(URI.create(url("/api/remediation/feature-flags")))
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
		throw new AssertionError("The service did not answer within 90 s; its log: " + log());
	}

	int port() {
		return this.port;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	Process process() {
		return this.process;
	}

	String log() throws IOException {
		return Files.readString(this.log);
	}

	/** The process's resident memory in MB, from /proc. */
	long residentMegabytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.process.pid()), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		throw new IllegalStateException("No VmRSS for " + this.process.pid());
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

	static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("bizobs-remediation-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No packaged jar in target" + File.separator
						+ ": this test runs after mvn package (Failsafe)"));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
