package io.bizobs.remediation.ofrep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagType;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.flags.PerVersion;
import io.bizobs.remediation.web.PolledReadServlet;
import io.bizobs.remediation.web.VersionTags;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The flags as a flagd sync source: flagd's flag definitions ({@code flagd start --uri
 * http://…/api/remediation/flagd}, or a provider's file), rendered once per flags version, so
 * that a fleet of services evaluates them locally through flagd sidecars or in-process providers.
 * Each flag is {@code ENABLED}, and its default variant is named by its value's JSON literal; a
 * boolean has both variants, a number the one it has. The ETag is the flags' version, as for
 * every other read, so a poller is answered 304 until the next change.
 */
@Component
class FlagdSource {

	static final String PATH = "/api/remediation/flagd";

	static final String SCHEMA = "FlagdFlags";

	private static final String FLAGD_SCHEMA = "https://flagd.dev/schema/v0/flags.json";

	private final PerVersion<PolledReadServlet.Answer> rendered;

	FlagdSource(JsonMapper jsonMapper) {
		this.rendered = new PerVersion<>((snapshot) -> PolledReadServlet.Answer
			.ok(jsonMapper.writeValueAsBytes(document(snapshot)), VersionTags.of(snapshot.version())));
	}

	PolledReadServlet.Answer answer(FlagSnapshot snapshot, String path) {
		return this.rendered.of(snapshot);
	}

	private static Document document(FlagSnapshot snapshot) {
		Map<String, Flag> flags = new LinkedHashMap<>();
		snapshot.states().forEach((name, state) -> flags.put(name, flag(state)));
		return new Document(FLAGD_SCHEMA, flags,
				new Metadata("bizobs-remediation", Long.toString(snapshot.version())));
	}

	private static Flag flag(FlagState state) {
		String variant = FlagValues.literal(state.value());
		Map<String, Object> variants = (state.definition().type() == FlagType.BOOLEAN)
				? Map.of("true", true, "false", false) : Map.of(variant, state.value());
		return new Flag("ENABLED", new TreeMap<>(variants), variant,
				Map.of("type", state.definition().type().jsonName()));
	}

	/**
	 * @param schema flagd's schema of the document, for editors and validators
	 * @param flags every flag, in the registry's order
	 * @param metadata the flag set and its version
	 */
	@Schema(name = SCHEMA)
	record Document(@JsonProperty("$schema") String schema, Map<String, Flag> flags, Metadata metadata) {
	}

	/**
	 * @param state always {@code ENABLED}
	 * @param variants the values by variant name, each name its value's JSON literal
	 * @param defaultVariant the variant of the flag's value
	 * @param metadata the flag's type here: {@code boolean}, {@code integer} or {@code number}
	 */
	@Schema(name = "FlagdFlag")
	record Flag(String state, Map<String, Object> variants, String defaultVariant, Map<String, String> metadata) {
	}

	/**
	 * @param flagSetId always {@code bizobs-remediation}
	 * @param version the flags' version
	 */
	@Schema(name = "FlagdMetadata")
	record Metadata(String flagSetId, String version) {
	}

}
