package io.bizobs.remediation.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.bizobs.remediation.ServiceInstances;
import io.bizobs.remediation.StreamReader;
import io.bizobs.remediation.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sixteen writers change the flags at once while stream readers and pollers watch: every
 * reader sees versions only go forward and ends at the final version, on one instance and on
 * two that share a PostgreSQL.
 */
class VersionsGoForwardTests {

	private static final int WRITERS = 16;

	private static final int CHANGES_EACH = 10;

	@TempDir
	Path dataDir;

	private final ServiceInstances instances = new ServiceInstances();

	private final List<StreamReader> readers = new ArrayList<>();

	private String schema;

	@AfterEach
	void stop() {
		this.readers.forEach(StreamReader::close);
		this.instances.close();
		if (this.schema != null) {
			TestPostgres.shared().admin().sql("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE").update();
		}
	}

	@Test
	void concurrentChangesOnOneInstanceReachEveryReaderInOrder() throws Exception {
		String url = this.instances.start("--remediation.data-dir=" + this.dataDir,
				"--remediation.guard.max-changes=100000");

		watchAndChange(List.of(url));
	}

	@Test
	void concurrentChangesOnTwoInstancesReachEveryReaderOfBothInOrder() throws Exception {
		this.schema = TestPostgres.newSchema("forward");
		List<String> urls = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			List<String> args = new ArrayList<>(ServiceInstances.onPostgres(TestPostgres.shared(), this.schema));
			args.add("--remediation.guard.max-changes=100000");
			args.add("--spring.datasource.hikari.maximum-pool-size=6");
			urls.add(this.instances.start(args.toArray(String[]::new)));
		}

		watchAndChange(urls);
	}

	private void watchAndChange(List<String> urls) throws Exception {
		for (String url : urls) {
			for (int i = 0; i < 3; i++) {
				StreamReader reader = StreamReader.open(url);
				assertThat(reader.status()).isEqualTo(200);
				this.readers.add(reader);
			}
		}
		AtomicBoolean writing = new AtomicBoolean(true);
		List<String> backwards = new CopyOnWriteArrayList<>();
		List<Thread> pollers = new ArrayList<>();
		for (String url : urls) {
			pollers.add(poller(RestClient.create(url), writing, backwards));
		}
		pollers.forEach(Thread::start);

		ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
		CountDownLatch ready = new CountDownLatch(WRITERS);
		List<Future<Long>> done = new ArrayList<>();
		for (int t = 0; t < WRITERS; t++) {
			int thread = t;
			RestClient client = RestClient.create(urls.get(t % urls.size()));
			done.add(writers.submit(() -> {
				ready.countDown();
				ready.await();
				long latest = 0;
				for (int i = 0; i < CHANGES_EACH; i++) {
					Map<?, ?> answer = ServiceInstances.change(client, "canaryTrafficPercent",
							(thread * CHANGES_EACH + i) % 101);
					latest = Math.max(latest, ((Number) answer.get("version")).longValue());
				}
				return latest;
			}));
		}
		long finalVersion = 0;
		for (Future<Long> future : done) {
			finalVersion = Math.max(finalVersion, future.get());
		}
		writers.shutdown();
		long expected = finalVersion;
		assertThat(expected).isGreaterThan(WRITERS * CHANGES_EACH / 2);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.readers).allSatisfy(
					(reader) -> assertThat(reader.last()).as("last version received").isEqualTo(expected)));
		writing.set(false);
		for (Thread poller : pollers) {
			poller.join();
		}
		for (StreamReader reader : this.readers) {
			assertThat(reader.versions()).as("versions one stream received").isSortedAccordingTo(Long::compare)
				.doesNotHaveDuplicates();
			assertThat(reader.problems()).isEmpty();
		}
		assertThat(backwards).as("flags document or OFREP answers that went back").isEmpty();
	}

	/** Polls the flags document and the OFREP bulk answer, noting any version older than one seen before. */
	private static Thread poller(RestClient client, AtomicBoolean writing, List<String> backwards) {
		Thread thread = new Thread(() -> {
			long document = -1;
			long ofrep = -1;
			while (writing.get()) {
				long version = ServiceInstances.version(client);
				if (version < document) {
					backwards.add("flags document " + document + " then " + version);
				}
				document = version;
				String etag = client.post().uri("/ofrep/v1/evaluate/flags").retrieve().toBodilessEntity().getHeaders()
					.getETag();
				version = Long.parseLong(etag.replace("\"", ""));
				if (version < ofrep) {
					backwards.add("OFREP " + ofrep + " then " + version);
				}
				ofrep = version;
			}
		}, "poller");
		thread.setDaemon(true);
		return thread;
	}

}
