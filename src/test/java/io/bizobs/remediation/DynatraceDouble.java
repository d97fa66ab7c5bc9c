package io.bizobs.remediation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Dynatrace stand-in that accepts every event and every push of metric lines and keeps them,
 * and serves problems and takes comments on them as the Problems API v2 does, for tests that
 * check what reached Dynatrace rather than how.
 */
public final class DynatraceDouble implements AutoCloseable {

	private final JsonMapper json = JsonMapper.builder().build();

	private final MockWebServer server = new MockWebServer();

	private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

	private final List<RecordedRequest> metricPushes = new CopyOnWriteArrayList<>();

	private final Map<String, Problem> problems = new ConcurrentHashMap<>();

	private final List<Map<String, String>> comments = new CopyOnWriteArrayList<>();

	private volatile boolean problemsDown;

	/**
	 * This stand-in's environment path. A service instance of an earlier test that is still
	 * retrying its events would otherwise deliver them here whenever this stand-in gets that
	 * instance's old port: answered 404, they are refused and never counted.
	 */
	private final String environment = "/env-" + UUID.randomUUID() + "/";

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
				if (!request.getUrl().encodedPath().startsWith(DynatraceDouble.this.environment)) {
					return new MockResponse.Builder().code(404).build();
				}
				if (request.getUrl().encodedPath().contains("/v2/problems")) {
					return problems(request);
				}
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
		return this.server.url(this.environment).toString();
	}

	/**
	 * Serves a problem from the Problems API v2, by its internal id and its display id.
	 * @param endTime when it closed, or {@code null} while open
	 */
	public void problem(String problemId, String displayId, Instant endTime) {
		this.problems.put(problemId, new Problem(problemId, displayId, endTime));
	}

	/** While down, every call of the Problems API is answered 503. */
	public void problemsDown(boolean down) {
		this.problemsDown = down;
	}

	/** Every comment posted so far, oldest first: {@code problemId}, {@code message}, {@code context}. */
	public List<Map<String, String>> comments() {
		return List.copyOf(this.comments);
	}

	/** Every event received so far, oldest first. */
	public List<Map<String, Object>> events() {
		return List.copyOf(this.events);
	}

	@SuppressWarnings("unchecked")
	private MockResponse problems(RecordedRequest request) {
		if (this.problemsDown) {
			return new MockResponse.Builder().code(503).body("{\"error\":{\"code\":503,\"message\":\"Down\"}}").build();
		}
		List<String> path = request.getUrl().pathSegments();
		String id = path.get(path.size() - 1);
		if ("GET".equals(request.getMethod()) && "problems".equals(id)) {
			String selector = request.getUrl().queryParameter("problemSelector");
			List<Problem> found = this.problems.values()
				.stream()
				.filter((problem) -> ("displayId(\"" + problem.displayId() + "\")").equals(selector))
				.toList();
			return json(200, Map.of("totalCount", found.size(), "pageSize", 50,
					"problems", found.stream().map(Problem::json).toList()));
		}
		if ("comments".equals(id)) {
			Problem problem = this.problems.get(path.get(path.size() - 2));
			if (problem == null) {
				return json(404, Map.of("error", Map.of("code", 404, "message", "Problem not found")));
			}
			Map<String, String> body = this.json.readValue(request.getBody().utf8(), Map.class);
			Map<String, String> comment = new java.util.LinkedHashMap<>(body);
			comment.put("problemId", problem.problemId());
			this.comments.add(comment);
			return json(201, Map.of("id", "comment-" + this.comments.size()));
		}
		Problem problem = this.problems.get(id);
		return (problem != null) ? json(200, problem.json())
				: json(404, Map.of("error", Map.of("code", 404, "message", "Problem not found")));
	}

	private MockResponse json(int code, Object body) {
		return new MockResponse.Builder().code(code)
			.addHeader("Content-Type", "application/json")
			.body(this.json.writeValueAsString(body))
			.build();
	}

	private record Problem(String problemId, String displayId, Instant endTime) {

		Map<String, Object> json() {
			return Map.of("problemId", this.problemId, "displayId", this.displayId, "title", "BizObs error rate",
					"status", (this.endTime != null) ? "CLOSED" : "OPEN", "startTime", 0,
					"endTime", (this.endTime != null) ? this.endTime.toEpochMilli() : -1);
		}

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
