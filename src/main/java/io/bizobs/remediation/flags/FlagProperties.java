package io.bizobs.remediation.flags;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Flags declared or redefined in configuration, {@code remediation.flags.<name>.*}. Any field
 * given for a built-in flag overrides that field only; a new flag needs a type and a default.
 *
 * @param flags the declarations by exact flag name
 */
@ConfigurationProperties("remediation")
public record FlagProperties(Map<String, Declaration> flags) {

	public FlagProperties {
		flags = (flags != null) ? flags : Map.of();
	}

	/**
	 * One flag's configured fields; any may be omitted for a built-in flag.
	 *
	 * @param type the value type
	 * @param defaultValue the default, as its JSON literal ({@code true}, {@code 50}, {@code 0.1})
	 * @param min the smallest allowed value of a numeric flag
	 * @param max the largest allowed value of a numeric flag
	 * @param description what the flag does
	 * @param fault which way of the flag injects a fault ({@code when-true}, {@code when-false},
	 * {@code higher}, {@code lower}, {@code none}): a guard never reverts a change that way while
	 * its problem is open
	 */
	public record Declaration(FlagType type, String defaultValue, Double min, Double max, String description,
			Fault fault) {
	}

}
