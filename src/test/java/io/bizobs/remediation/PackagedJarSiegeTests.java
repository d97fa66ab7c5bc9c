package io.bizobs.remediation;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A soak under the JVM options the container ships ({@code src/main/jvm/jvm.options}: a 128 MB
 * heap): slow headers from a thousand addresses, every stream slot wanted twice over, and journeys
 * naming new step services, all at once and without a key, while reads go on. Then what the
 * options do when the heap runs out after all. Run by Failsafe after {@code package}; bounded to
 * about half a minute. The full-size siege (5,000 sockets) is bench/siege.sh.
 */
class PackagedJarSiegeTests {

	private static final Duration SIEGE = Duration.ofSeconds(20);

	@TempDir
	Path dataDir;

	@Test
	void readsKeepAnsweringUnderSlowHeadersStreamsAndJourneysAtOnceWithTheShippedHeap() throws Exception {
		try (PackagedJar service = PackagedJar.start(List.of("@" + PackagedJar.JVM_OPTIONS), Map.of(), this.dataDir)) {
			RawHttp http = new RawHttp(service.port());
			assertThat(http.send("127.0.0.1", "POST", "/api/remediation/feature-flag", "",
					"{\"flag\":\"circuitBreakerEnabled\",\"value\":true}").status()).isEqualTo(200);
			List<Socket> held = Collections.synchronizedList(new ArrayList<>());
			AtomicBoolean stop = new AtomicBoolean();
			AtomicInteger journeys = new AtomicInteger();
			ExecutorService attackers = Executors.newFixedThreadPool(4);
			try {
				attackers.submit(() -> slowHeaders(http, held, stop));
				attackers.submit(() -> streams(http, held));
				attackers.submit(() -> journeys(http, stop, journeys, 0));
				attackers.submit(() -> journeys(http, stop, journeys, 1));

				List<Long> millis = new ArrayList<>();
				long end = System.nanoTime() + SIEGE.toNanos();
				Thread.sleep(2000);
				while (System.nanoTime() < end) {
					long started = System.nanoTime();
					RawHttp.Answer read = http.get("127.0.0.1", "/api/remediation/feature-flags", "");
					millis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
					assertThat(read.status()).isEqualTo(200);
					Thread.sleep(50);
				}
				long resident = service.residentMegabytes();
				stop.set(true);

				Collections.sort(millis);
				long p99 = millis.get((int) Math.ceil(millis.size() * 0.99) - 1);
				System.out.printf("Under siege: %d reads, p50 %d ms, p99 %d ms, max %d ms; %d journeys; RSS %d MB%n",
						millis.size(), millis.get(millis.size() / 2), p99, millis.get(millis.size() - 1), journeys.get(),
						resident);
				assertThat(p99).as("p99 of %s reads under siege, in ms", millis.size()).isLessThan(250);
				assertThat(journeys.get()).as("journeys that ran meanwhile").isGreaterThan(20);
				assertThat(resident).as("resident memory under siege, in MB (docs/benchmarks.md)").isLessThan(400);
			}
			finally {
				stop.set(true);
				attackers.shutdownNow();
				attackers.awaitTermination(10, TimeUnit.SECONDS);
				synchronized (held) {
					for (Socket socket : held) {
						socket.close();
					}
				}
			}
			long started = System.nanoTime();
			assertThat(http.get("127.0.0.1", "/api/remediation/feature-flags", "").status()).isEqualTo(200);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the first read after the siege")
				.isLessThan(Duration.ofSeconds(1));
			assertThat(service.process().isAlive()).isTrue();
			assertThat(service.log()).doesNotContain("OutOfMemoryError");
		}
	}

	@Test
	void theShippedOptionsEndTheProcessWhenTheHeapRunsOutRatherThanLeaveItHalfDead() throws Exception {
		Path output = this.dataDir.resolve("probe.log");
		Process probe = new ProcessBuilder(PackagedJar.java(), "@" + PackagedJar.JVM_OPTIONS, "-cp",
				Path.of("target", "test-classes").toString(), OutOfMemoryProbe.class.getName())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();

		assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
		assertThat(probe.exitValue()).isNotZero();
		assertThat(Files.readString(output)).contains("Terminating due to java.lang.OutOfMemoryError");
	}

	/** 2,000 connections from 1,000 addresses, each sending a byte of its headers every two seconds. */
	private static void slowHeaders(RawHttp http, List<Socket> held, AtomicBoolean stop) {
		List<Socket> mine = new ArrayList<>();
		for (int i = 0; i < 2000 && !stop.get(); i++) {
			try {
				Socket socket = http.connect("127.3." + (i % 1000) / 250 + "." + (1 + i % 250));
				socket.getOutputStream().write("GET /api/remediation/feature-flags HTTP/1.1\r\nHost: x\r\n"
					.getBytes(StandardCharsets.US_ASCII));
				mine.add(socket);
				held.add(socket);
			}
			catch (IOException ex) {
				// Refused or reset: the service let go of it.
			}
		}
		while (!stop.get()) {
			for (Socket socket : mine) {
				try {
					socket.getOutputStream().write('a');
				}
				catch (IOException ex) {
					// Closed by the service.
				}
			}
			sleep(Duration.ofSeconds(2));
		}
	}

	/** 400 streams wanted from 40 addresses, twice the slots there are. */
	private static void streams(RawHttp http, List<Socket> held) {
		for (int i = 0; i < 400; i++) {
			try {
				Socket socket = http.connect("127.5.0." + (1 + i % 40));
				OutputStream out = socket.getOutputStream();
				out.write(("GET /api/remediation/feature-flags/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				held.add(socket);
			}
			catch (IOException ex) {
				// Refused.
			}
		}
	}

	/** Journeys one after another, each from another address, each naming two new steps and step services. */
	private static void journeys(RawHttp http, AtomicBoolean stop, AtomicInteger done, int worker) {
		for (int i = 0; !stop.get(); i++) {
			String services = "{\"stepName\":\"Verification " + i + "\",\"serviceName\":\"svc-" + worker + "-" + i
					+ "-a\"},{\"stepName\":\"Purchase " + i + "\",\"serviceName\":\"svc-" + worker + "-" + i + "-b\"}";
			try {
				int status = http.send("127.4." + worker + "." + (1 + i % 250), "POST",
						"/api/journey-simulation/simulate-journey", "",
						"{\"companyName\":\"Umbrella Corporation\",\"journey\":{\"steps\":[" + services + "]}}")
					.status();
				if (status == 200) {
					done.incrementAndGet();
				}
			}
			catch (IOException ex) {
				// Counted as not done.
			}
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
