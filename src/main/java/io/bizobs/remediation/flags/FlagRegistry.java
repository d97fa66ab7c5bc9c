package io.bizobs.remediation.flags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The flags this service knows, in a stable order: the seven of the BizObs guide, then those
 * declared in configuration. Names are matched exactly, so nothing that merely looks like a
 * property of some object ({@code __proto__}, {@code toString}) is ever a flag.
 */
@Component
public class FlagRegistry {

	static final List<FlagDefinition> BUILT_IN = List.of(
			new FlagDefinition("errorInjectionEnabled", FlagType.BOOLEAN, true, null, null,
					"Simulated journey steps fail at the customer's error rate; off, no simulated step fails",
					Fault.WHEN_TRUE),
			new FlagDefinition("slowResponsesEnabled", FlagType.BOOLEAN, true, null, null,
					"A share of simulated steps take 1 to 3 s longer", Fault.WHEN_TRUE),
			new FlagDefinition("circuitBreakerEnabled", FlagType.BOOLEAN, false, null, null,
					"A step service that keeps failing opens its circuit breaker and calls fail fast", Fault.WHEN_FALSE),
			new FlagDefinition("rateLimitingEnabled", FlagType.BOOLEAN, false, null, null,
					"Journeys over the configured rate per second are refused with 429", Fault.NONE),
			new FlagDefinition("cacheEnabled", FlagType.BOOLEAN, true, null, null,
					"Repeated read-only steps for the same customer are served from a cache", Fault.WHEN_FALSE),
			new FlagDefinition("canaryTrafficPercent", FlagType.INTEGER, 50L, 0.0, 100.0,
					"Share of journeys, in percent, that run on the canary version", Fault.HIGHER),
			new FlagDefinition("errorRate", FlagType.NUMBER, 0.12, 0.0, 1.0,
					"Base error rate of simulated steps; customer profiles scale relative to 0.12", Fault.HIGHER));

	private final Map<String, FlagDefinition> definitions;

	public FlagRegistry(FlagProperties properties) {
		Map<String, FlagDefinition> all = new LinkedHashMap<>();
		BUILT_IN.forEach((definition) -> all.put(definition.name(), definition));
		properties.flags().forEach((name, declaration) -> all.put(name, declare(name, declaration, all.get(name))));
		this.definitions = Collections.unmodifiableMap(all);
	}

	private static FlagDefinition declare(String name, FlagProperties.Declaration declaration, FlagDefinition base) {
		FlagType type = (declaration.type() != null) ? declaration.type() : (base != null) ? base.type() : null;
		if (type == null || (base == null && declaration.defaultValue() == null)) {
			throw new IllegalArgumentException("Flag '" + name
					+ "' is declared in configuration without a type and a default-value"
					+ (name.equals(name.toLowerCase(Locale.ROOT)) ? " (environment variables lose the case of flag "
							+ "names: declare flags in application.yml or SPRING_APPLICATION_JSON)" : ""));
		}
		Object defaultValue = (declaration.defaultValue() != null) ? parseDefault(name, type, declaration.defaultValue())
				: base.defaultValue();
		boolean sameType = base != null && base.type() == type;
		Double min = (declaration.min() != null) ? declaration.min() : sameType ? base.min() : null;
		Double max = (declaration.max() != null) ? declaration.max() : sameType ? base.max() : null;
		String description = (declaration.description() != null) ? declaration.description()
				: (base != null) ? base.description() : "";
		Fault fault = (declaration.fault() != null) ? declaration.fault() : sameType ? base.fault() : Fault.NONE;
		return new FlagDefinition(name, type, defaultValue, min, max, description, fault);
	}

	private static Object parseDefault(String name, FlagType type, String literal) {
		try {
			return type.parse(literal.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"Default of flag '" + name + "' is not a " + type.jsonName() + ": '" + literal + "'", ex);
		}
	}

	public Optional<FlagDefinition> find(String name) {
		return Optional.ofNullable(this.definitions.get(name));
	}

	public Collection<FlagDefinition> all() {
		return this.definitions.values();
	}

	public List<String> names() {
		return List.copyOf(this.definitions.keySet());
	}

	/**
	 * Checks every value of a change against its flag's declaration.
	 * @return the values in their flags' canonical types, in the given order
	 * @throws InvalidFlagChangeException naming every unknown flag and invalid value
	 */
	public Map<String, Object> accept(Map<String, Object> values) {
		Map<String, Object> accepted = new LinkedHashMap<>();
		List<InvalidFlagChangeException.Violation> violations = new ArrayList<>();
		boolean unknown = false;
		for (Map.Entry<String, Object> entry : values.entrySet()) {
			FlagDefinition definition = find(entry.getKey()).orElse(null);
			if (definition == null) {
				unknown = true;
				violations.add(new InvalidFlagChangeException.Violation(entry.getKey(),
						"Unknown flag '" + entry.getKey() + "'"));
				continue;
			}
			try {
				accepted.put(entry.getKey(), definition.accept(entry.getValue()));
			}
			catch (IllegalArgumentException ex) {
				violations.add(new InvalidFlagChangeException.Violation(entry.getKey(),
						"Flag '" + entry.getKey() + "' " + ex.getMessage()));
			}
		}
		if (!violations.isEmpty()) {
			throw new InvalidFlagChangeException(violations, unknown ? names() : List.of());
		}
		return accepted;
	}

}
