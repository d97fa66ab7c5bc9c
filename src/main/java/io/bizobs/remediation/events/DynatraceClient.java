package io.bizobs.remediation.events;

import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Posts events to the Dynatrace Events API v2, and reads problems and posts comments on them with
 * the Problems API v2, and sorts each answer into delivered, refused for good, or worth retrying,
 * without holding a thread while it waits. Never fails for anything Dynatrace or the network does.
 */
class DynatraceClient {

	/** Problems are looked up by display id over this much of the past; a guard watches for hours at most. */
	private static final String DISPLAY_ID_LOOKBACK = "now-30d";

	private final WebClient webClient;

	private final DynatraceEndpoint endpoint;

	private final DynatraceEndpoint problems;

	private final JsonMapper jsonMapper;

	private final Duration responseTimeout;

	private final Duration timeout;

	DynatraceClient(WebClient webClient, DynatraceEndpoint endpoint, DynatraceEndpoint problems, JsonMapper jsonMapper,
			Duration connectTimeout, Duration responseTimeout) {
		this.webClient = webClient;
		this.endpoint = endpoint;
		this.problems = problems;
		this.jsonMapper = jsonMapper;
		this.responseTimeout = responseTimeout;
		this.timeout = connectTimeout.plus(responseTimeout);
	}

	DynatraceEndpoint endpoint() {
		return this.endpoint;
	}

	/** Sends one event; completes with what became of it, never exceptionally. */
	CompletableFuture<IngestResult> send(Map<String, Object> event) {
		long started = System.nanoTime();
		return this.webClient.post()
			.uri(this.endpoint.ingestUri())
			.headers((headers) -> authorize(headers, this.endpoint))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.bodyValue(event)
			.exchangeToMono((answer) -> answer.toEntity(String.class))
			.timeout(this.timeout)
			.map(this::classify)
			.onErrorResume((ex) -> {
				Duration waited = Duration.ofNanos(System.nanoTime() - started);
				return Mono.just(new IngestResult.Unavailable(describe(ex, waited.compareTo(this.responseTimeout) >= 0),
						null));
			})
			.toFuture();
	}

	/**
	 * Reads a problem by its internal id, or by its display id ({@code P-…}) through the list's
	 * {@code displayId} selector; completes with what could be read, never exceptionally.
	 */
	CompletableFuture<ProblemStatus> problem(String problemId) {
		boolean displayId = problemId.startsWith("P-");
		URI uri = displayId
				? UriComponentsBuilder.fromUri(this.problems.ingestUri())
					.queryParam("problemSelector", "displayId(\"" + problemId + "\")")
					.queryParam("from", DISPLAY_ID_LOOKBACK)
					.encode()
					.build()
					.toUri()
				: UriComponentsBuilder.fromUri(this.problems.ingestUri()).pathSegment(problemId).encode().build().toUri();
		return this.webClient.get()
			.uri(uri)
			.headers((headers) -> authorize(headers, this.problems))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((answer) -> answer.toEntity(String.class))
			.timeout(this.timeout)
			.map((response) -> problemStatus(problemId, displayId, response))
			.onErrorResume((ex) -> Mono.just(ProblemStatus.unavailable(describe(ex, false))))
			.toFuture();
	}

	private ProblemStatus problemStatus(String problemId, boolean displayId, ResponseEntity<String> response) {
		String statusLine = statusLine(response.getStatusCode());
		if (response.getStatusCode().value() == 404) {
			return ProblemStatus.missing(statusLine + withoutToken(dynatraceMessage(response.getBody())));
		}
		if (!response.getStatusCode().is2xxSuccessful()) {
			return ProblemStatus.unavailable(statusLine + withoutToken(dynatraceMessage(response.getBody())));
		}
		try {
			JsonNode root = this.jsonMapper.readTree((response.getBody() != null) ? response.getBody() : "{}");
			JsonNode problem = displayId ? root.path("problems").path(0) : root;
			String status = problem.path("status").asString(null);
			if (status == null) {
				return ProblemStatus.missing("Dynatrace knows no problem " + problemId);
			}
			long endTime = problem.path("endTime").asLong(-1);
			return new ProblemStatus(problem.path("problemId").asString(null), problem.path("displayId").asString(null),
					status, (endTime > 0) ? Instant.ofEpochMilli(endTime) : null, null, false);
		}
		catch (JacksonException ex) {
			return ProblemStatus.unavailable(statusLine + " with an answer that is not a problem: "
					+ withoutToken(abbreviate(response.getBody())));
		}
	}

	/**
	 * Posts a comment on a problem, found by its internal id or display id; completes with what
	 * became of it, never exceptionally.
	 */
	CompletableFuture<IngestResult> comment(String problemId, String message) {
		CompletableFuture<ProblemStatus> found = problemId.startsWith("P-") ? problem(problemId)
				: CompletableFuture.completedFuture(new ProblemStatus(problemId, null, null, null, null, false));
		return found.thenCompose((problem) -> {
			String id = problem.problemId();
			if (id == null) {
				String why = "Dynatrace did not tell the internal id of problem " + problemId + ": " + problem.unavailable();
				// A problem Dynatrace does not have stays so; retried, its comment would hold back every
				// event after it in the outbox, which delivers in order.
				return CompletableFuture.completedFuture(
						problem.missing() ? new IngestResult.Refused(why) : new IngestResult.Unavailable(why, null));
			}
			URI uri = UriComponentsBuilder.fromUri(this.problems.ingestUri())
				.pathSegment(id, "comments")
				.encode()
				.build()
				.toUri();
			return this.webClient.post()
				.uri(uri)
				.headers((headers) -> authorize(headers, this.problems))
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("message", message, "context", "BizObs Remediation"))
				.exchangeToMono((answer) -> answer.toEntity(String.class))
				.timeout(this.timeout)
				.map(this::commented)
				.onErrorResume((ex) -> Mono.just(new IngestResult.Unavailable(describe(ex, false), null)))
				.toFuture();
		});
	}

	private IngestResult commented(ResponseEntity<String> response) {
		HttpStatusCode status = response.getStatusCode();
		String statusLine = statusLine(status);
		if (status.is2xxSuccessful()) {
			String id = null;
			try {
				id = this.jsonMapper.readTree((response.getBody() != null) ? response.getBody() : "{}")
					.path("id")
					.asString(null);
			}
			catch (JacksonException ex) {
				// The comment is there; its id is only for the log.
			}
			return new IngestResult.Delivered(statusLine, id);
		}
		String reason = statusLine + withoutToken(dynatraceMessage(response.getBody()));
		if (status.value() == 429 || status.value() == 408 || status.is5xxServerError()) {
			return new IngestResult.Unavailable(reason, retryAfter(response.getHeaders()));
		}
		return new IngestResult.Refused(reason);
	}

	private static void authorize(HttpHeaders headers, DynatraceEndpoint endpoint) {
		if (endpoint.authorization() != null) {
			headers.set(HttpHeaders.AUTHORIZATION, endpoint.authorization());
		}
	}

	private IngestResult classify(ResponseEntity<String> response) {
		HttpStatusCode status = response.getStatusCode();
		String statusLine = statusLine(status);
		if (status.is2xxSuccessful()) {
			return accepted(statusLine, response.getBody());
		}
		String reason = statusLine + withoutToken(dynatraceMessage(response.getBody()));
		if (status.value() == 429 || status.value() == 408 || status.is5xxServerError()) {
			return new IngestResult.Unavailable(reason, retryAfter(response.getHeaders()));
		}
		return new IngestResult.Refused(reason);
	}

	private IngestResult accepted(String statusLine, String body) {
		try {
			JsonNode results = this.jsonMapper.readTree((body != null) ? body : "{}").path("eventIngestResults");
			if (results.isArray() && !results.isEmpty()) {
				List<String> refusals = new ArrayList<>();
				for (JsonNode result : results) {
					if (!"OK".equals(result.path("status").asString(""))) {
						refusals.add(result.path("status").asString("unknown status"));
					}
				}
				if (refusals.isEmpty()) {
					return new IngestResult.Delivered(statusLine + " OK",
							results.get(0).path("correlationId").asString(null));
				}
				return new IngestResult.Refused(statusLine + ", but Dynatrace did not ingest the event: "
						+ String.join(", ", refusals));
			}
		}
		catch (JacksonException ex) {
			// Falls through: an answer without results is not a delivery anyone can rely on.
		}
		return new IngestResult.Refused(statusLine + " without an ingest result: " + withoutToken(abbreviate(body)));
	}

	/**
	 * What an answer says goes into the audit and the status, which anyone may read: a proxy that
	 * echoes the request's headers back must not make the token readable there.
	 */
	private String withoutToken(String text) {
		String authorization = this.endpoint.authorization();
		if (authorization == null) {
			return text;
		}
		String token = authorization.substring(authorization.indexOf(' ') + 1);
		return token.isEmpty() ? text : text.replace(token, "[token]");
	}

	private String dynatraceMessage(String body) {
		if (!StringUtils.hasText(body)) {
			return "";
		}
		try {
			JsonNode error = this.jsonMapper.readTree(body).path("error");
			String message = error.path("message").asString("");
			List<String> violations = new ArrayList<>();
			for (JsonNode violation : error.path("constraintViolations")) {
				violations.add(violation.path("path").asString("") + " " + violation.path("message").asString(""));
			}
			if (!violations.isEmpty()) {
				message = message + " (" + String.join("; ", violations).trim() + ")";
			}
			if (StringUtils.hasText(message)) {
				return ": " + message;
			}
		}
		catch (JacksonException ex) {
			// Not Dynatrace's JSON error format; show the text itself.
		}
		return ": " + abbreviate(body);
	}

	private static Duration retryAfter(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		if (!StringUtils.hasText(value)) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
		}
		catch (NumberFormatException notSeconds) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
				return wait.isNegative() ? Duration.ZERO : wait;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static String statusLine(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return status.value() + ((known != null) ? " " + known.getReasonPhrase() : "");
	}

	/**
	 * Describes a failed attempt. When the JDK client gives up waiting for the answer, it may
	 * report the connection it closed rather than its time-out, so a failure after the whole
	 * response time-out counts as no answer too.
	 */
	private static String describe(Throwable ex, boolean waitedResponseTimeout) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		boolean noAnswer = !(cause instanceof HttpConnectTimeoutException) && (cause instanceof HttpTimeoutException
				|| cause instanceof TimeoutException || waitedResponseTimeout);
		if (noAnswer) {
			return "no answer within the time-out";
		}
		return "connection failed: " + cause.getClass().getSimpleName() + ((message != null) ? " " + message : "");
	}

	private static String abbreviate(String text) {
		if (text == null) {
			return "(empty)";
		}
		return (text.length() > 300) ? text.substring(0, 300) + "…" : text;
	}

}
