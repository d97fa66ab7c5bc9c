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
 * A Dynatrace Events API stand-in that accepts every event and keeps them, for tests that
 * check what reached Dynatrace rather than how.
 */
public final class DynatraceDouble implements AutoCloseable {

	private final JsonMapper json = JsonMapper.builder().build();

	private final MockWebServer server = new MockWebServer();

	private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

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

	@Override
	public void close() {
		this.server.close();
	}

}
