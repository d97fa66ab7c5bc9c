package io.bizobs.remediation.flags;

/**
 * The one textual form of flag values, used for storage, audit entries and Dynatrace event
 * properties alike: the JSON literal ({@code true}, {@code 50}, {@code 0.12}).
 */
public final class FlagValues {

	private FlagValues() {
	}

	public static String literal(Object value) {
		return String.valueOf(value);
	}

	/**
	 * Reads a literal back without knowing the flag's type, for audit entries of flags that
	 * configuration may no longer declare.
	 */
	public static Object fromLiteral(String literal) {
		if (literal == null) {
			return null;
		}
		if (literal.equals("true") || literal.equals("false")) {
			return Boolean.valueOf(literal);
		}
		try {
			return Long.valueOf(literal);
		}
		catch (NumberFormatException notAnInteger) {
			return Double.valueOf(literal);
		}
	}

}
