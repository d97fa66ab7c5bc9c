package io.bizobs.remediation.ofrep;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.flags.PerVersion;
import io.bizobs.remediation.web.VersionTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenFeature Remote Evaluation Protocol, so OpenFeature clients read the flags without
 * glue. Flags here have one value for everyone, so every evaluation is {@code STATIC} and the
 * evaluation context is not needed.
 */
@RestController
@RequestMapping(path = "/ofrep/v1/evaluate/flags", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "OpenFeature (OFREP)")
class OfrepController {

	private static final String STATIC = "STATIC";

	/**
	 * The change stream in OFREP's form: {@code refetchEvaluation} events with the ETag. A path
	 * rather than a URL, so providers connect to the origin they already use.
	 */
	private static final List<EventStream> EVENT_STREAMS = List
		.of(new EventStream("sse", new Endpoint("/api/remediation/feature-flags/stream?format=ofrep")));

	private final FeatureFlagService flags;

	private final JsonMapper jsonMapper;

	private final PerVersion<Rendered> rendered = new PerVersion<>(this::render);

	OfrepController(FeatureFlagService flags, JsonMapper jsonMapper) {
		this.flags = flags;
		this.jsonMapper = jsonMapper;
	}

	@PostMapping("/{key}")
	@Operation(summary = "Evaluate one flag", description = "404 with errorCode FLAG_NOT_FOUND for an unknown key")
	ResponseEntity<Object> evaluate(@PathVariable String key) {
		byte[] evaluation = this.rendered.of(this.flags.snapshot()).single().get(key);
		if (evaluation == null) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(new Error(key, "FLAG_NOT_FOUND", "Flag '" + key + "' is not declared", Map.of()));
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(evaluation);
	}

	@PostMapping
	@Operation(summary = "Evaluate all flags", description = "ETag is the flags' version; a matching If-None-Match gets 304")
	ResponseEntity<byte[]> evaluateAll(@RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
		Rendered rendered = this.rendered.of(this.flags.snapshot());
		if (matches(ifNoneMatch, rendered.etag())) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(rendered.etag()).build();
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).eTag(rendered.etag()).body(rendered.json());
	}

	/**
	 * OFREP answers a matching {@code If-None-Match} on its POST with 304, where HTTP's own rule
	 * for unsafe methods would be 412, so the comparison is made here.
	 */
	private static boolean matches(String ifNoneMatch, String etag) {
		if (ifNoneMatch == null) {
			return false;
		}
		for (String tag : ifNoneMatch.split(",")) {
			String candidate = tag.trim();
			if (candidate.startsWith("W/")) {
				candidate = candidate.substring(2);
			}
			if (candidate.equals("*") || candidate.equals(etag)) {
				return true;
			}
		}
		return false;
	}

	/** The answers of one flags version, serialised once: clients poll them many times a second. */
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

	record Evaluation(String key, Object value, String reason, String variant, Map<String, Object> metadata) {
	}

	record Error(String key, String errorCode, String errorDetails, Map<String, Object> metadata) {
	}

	/**
	 * @param eventStreams where OFREP providers hear of changes instead of polling (OFREP's
	 * {@code eventStreams}, ADR-0008)
	 */
	record Bulk(List<Evaluation> flags, List<EventStream> eventStreams, Map<String, Object> metadata) {
	}

	/** An OFREP event stream: SSE at a path of this service's origin. */
	record EventStream(String type, Endpoint endpoint) {
	}

	record Endpoint(String requestUri) {
	}

	private record Rendered(byte[] json, String etag, Map<String, byte[]> single) {
	}

}
