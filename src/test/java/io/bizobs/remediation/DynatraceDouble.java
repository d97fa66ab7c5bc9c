package io.bizobs.remediation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Dynatrace stand-in that accepts every event and every push of metric lines and keeps them,
 * for tests that check what reached Dynatrace rather than how.
 */
public final class DynatraceDouble implements AutoCloseable {

	private final JsonMapper json = JsonMapper.builder().build();

	private final MockWebServer server = new MockWebServer();

	private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

	private final List<RecordedRequest> metricPushes = new CopyOnWriteArrayList<>();

	public DynatraceDouble() {
		this(Duration.ZERO);
	}

	/**
	 * A slow stand-in: each event counts as received when it arrives, and is answered after the
	 * given delay, so deliveries are in flight for that long.
	 */
	public DynatraceDouble(Duration delay) {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			@SuppressWarnings("unchecked")
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				if (request.getUrl().encodedPath().endsWith("/v2/metrics/ingest")) {
					DynatraceDouble.this.metricPushes.add(request);
					return new MockResponse.Builder().code(202)
						.body("{\"linesOk\":" + request.getBody().utf8().lines().count()
								+ ",\"linesInvalid\":0,\"error\":null}")
						.build();
				}
				DynatraceDouble.this.events.add(DynatraceDouble.this.json.readValue(request.getBody().utf8(), Map.class));
				Thread.sleep(delay.toMillis());
				return new MockResponse.Builder().code(201)
					.body("{\"reportCount\":1,\"eventIngestResults\":[{\"correlationId\":\"c"
							+ DynatraceDouble.this.events.size() + "\",\"status\":\"OK\"}]}")
					.build();
			}

		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String url() {
		return this.server.url("/").toString();
	}

	/** The properties of every event received so far, oldest first. */
	@SuppressWarnings("unchecked")
	public List<Map<String, String>> properties() {
		return this.events.stream().map((event) -> (Map<String, String>) event.get("properties")).toList();
	}

	/** Every push of metric lines received so far, oldest first. */
	public List<RecordedRequest> metricPushes() {
		return List.copyOf(this.metricPushes);
	}

	/**
	 * The values of one gauge, one per push, oldest first; 0 for a push without it (Micrometer
	 * leaves out what it has nothing for).
	 * @param key the metric key
	 * @param dimension a dimension of the one line wanted, as pushed ({@code name=value})
	 */
	public List<Double> gauge(String key, String dimension) {
		return metricPushes().stream()
			.map((push) -> push.getBody()
				.utf8()
				.lines()
				.filter((metric) -> metric.startsWith(key + ",") && metric.contains(dimension))
				.mapToDouble((metric) -> Double.parseDouble(metric.replaceAll("^.* gauge,(\\S+).*$", "$1")))
				.findFirst()
				.orElse(0.0))
			.toList();
	}

	@Override
	public void close() {
		this.server.close();
	}

}
