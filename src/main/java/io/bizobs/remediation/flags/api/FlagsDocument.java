package io.bizobs.remediation.flags.api;

import java.time.Instant;
import java.util.Map;

import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.PerVersion;
import io.bizobs.remediation.web.PolledReadServlet;
import io.bizobs.remediation.web.VersionTags;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The JSON of {@code GET /api/remediation/feature-flags}, rendered once per flag version and
 * then served as bytes: the simulator polls it many times a second. Its {@code timestamp} is
 * the time of the version, so equal ETags always mean equal bytes.
 */
@Component
class FlagsDocument {

	static final String PATH = "/api/remediation/feature-flags";

	/** The name of {@link Body} in the API document. */
	static final String SCHEMA = "FlagList";

	private final PerVersion<Rendered> rendered;

	FlagsDocument(JsonMapper jsonMapper) {
		this.rendered = new PerVersion<>((snapshot) -> new Rendered(jsonMapper.writeValueAsBytes(
				new Body(true, snapshot.values(), snapshot.version(), snapshot.updatedAt())),
				VersionTags.of(snapshot.version())));
	}

	Rendered of(FlagSnapshot snapshot) {
		return this.rendered.of(snapshot);
	}

	/** The answer to {@code GET} at {@link #PATH}. */
	PolledReadServlet.Answer answer(FlagSnapshot snapshot, String path) {
		Rendered rendered = of(snapshot);
		return PolledReadServlet.Answer.ok(rendered.json(), rendered.etag());
	}

	record Rendered(byte[] json, String etag) {
	}

	@Schema(name = SCHEMA)
	record Body(boolean ok, Map<String, Object> flags, long version, Instant timestamp) {
	}

}
