package io.bizobs.remediation.ofrep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.flags.FlagRegistry;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.flags.PerVersion;
import io.bizobs.remediation.web.PolledReadServlet;
import io.bizobs.remediation.web.VersionTags;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The OpenFeature Remote Evaluation Protocol, so OpenFeature clients read the flags without
 * glue: its answers, rendered once per flags version, for {@code POST /ofrep/v1/evaluate/flags}
 * and {@code POST /ofrep/v1/evaluate/flags/{key}}. Flags here have one value for everyone, so
 * every evaluation is {@code STATIC} and the evaluation context in the request is not needed.
 */
@Component
class OfrepReads {

	static final String BULK = "/ofrep/v1/evaluate/flags";

	private static final String STATIC = "STATIC";

	/**
	 * The change stream in OFREP's form: {@code refetchEvaluation} events with the ETag. A path
	 * rather than a URL, so providers connect to the origin they already use.
	 */
	private static final List<EventStream> EVENT_STREAMS = List
		.of(new EventStream("sse", new Endpoint("/api/remediation/feature-flags/stream?format=ofrep")));

	private final JsonMapper jsonMapper;

	private final PerVersion<Rendered> rendered = new PerVersion<>(this::render);

	OfrepReads(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	/** Every flag; the ETag is the flags' version, and a matching {@code If-None-Match} gets 304. */
	PolledReadServlet.Answer bulk(FlagSnapshot snapshot, String path) {
		Rendered rendered = this.rendered.of(snapshot);
		return PolledReadServlet.Answer.ok(rendered.bulk(), rendered.etag());
	}

	/**
	 * One flag, at its own path below the bulk one's: the servlet is mapped to each declared key
	 * exactly, so an unknown key never reaches it ({@link UnknownFlagController}).
	 */
	PolledReadServlet.Answer single(FlagSnapshot snapshot, String path) {
		return PolledReadServlet.Answer.ok(this.rendered.of(snapshot).single().get(path.substring(BULK.length() + 1)),
				null);
	}

	/** The paths of the single evaluations, one for each declared key. */
	static String[] singlePaths(FlagRegistry registry) {
		return registry.all().stream().map((flag) -> BULK + "/" + flag.name()).toArray(String[]::new);
	}

	private Rendered render(FlagSnapshot snapshot) {
		List<Evaluation> evaluations = snapshot.states()
			.entrySet()
			.stream()
			.map((entry) -> evaluation(entry.getKey(), entry.getValue()))
			.toList();
		Map<String, byte[]> single = new HashMap<>();
		evaluations.forEach((evaluation) -> single.put(evaluation.key(), this.jsonMapper.writeValueAsBytes(evaluation)));
		return new Rendered(this.jsonMapper.writeValueAsBytes(new Bulk(evaluations, EVENT_STREAMS, Map.of())),
				VersionTags.of(snapshot.version()), Map.copyOf(single));
	}

	private static Evaluation evaluation(String key, FlagState state) {
		return new Evaluation(key, state.value(), STATIC, FlagValues.literal(state.value()), Map.of());
	}

	@Schema(name = "OfrepEvaluation")
	record Evaluation(String key, Object value, String reason, String variant, Map<String, Object> metadata) {
	}

	@Schema(name = "OfrepError")
	record Error(String key, String errorCode, String errorDetails, Map<String, Object> metadata) {
	}

	/**
	 * @param eventStreams where OFREP providers hear of changes instead of polling (OFREP's
	 * {@code eventStreams}, ADR-0008)
	 */
	@Schema(name = "OfrepBulkEvaluation")
	record Bulk(List<Evaluation> flags, List<EventStream> eventStreams, Map<String, Object> metadata) {
	}

	/** An OFREP event stream: SSE at a path of this service's origin. */
	record EventStream(String type, Endpoint endpoint) {
	}

	record Endpoint(String requestUri) {
	}

	private record Rendered(byte[] bulk, String etag, Map<String, byte[]> single) {
	}

}
