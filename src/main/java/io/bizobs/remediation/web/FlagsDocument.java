package io.bizobs.remediation.web;

import java.time.Instant;
import java.util.Map;

import io.bizobs.remediation.flags.FlagSnapshot;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The JSON of {@code GET /api/remediation/feature-flags}, rendered once per flag version and
 * then served as bytes: the simulator polls it many times a second. Its {@code timestamp} is
 * the time of the version, so equal ETags always mean equal bytes.
 */
@Component
class FlagsDocument {

	private final JsonMapper jsonMapper;

	private volatile Rendered rendered = new Rendered(-1, new byte[0], "");

	FlagsDocument(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	Rendered of(FlagSnapshot snapshot) {
		Rendered current = this.rendered;
		if (current.version() != snapshot.version()) {
			current = new Rendered(snapshot.version(),
					this.jsonMapper.writeValueAsBytes(new Body(true, snapshot.values(), snapshot.version(),
							snapshot.updatedAt())),
					"\"" + snapshot.version() + "\"");
			this.rendered = current;
		}
		return current;
	}

	record Rendered(long version, byte[] json, String etag) {
	}

	record Body(boolean ok, Map<String, Object> flags, long version, Instant timestamp) {
	}

}
