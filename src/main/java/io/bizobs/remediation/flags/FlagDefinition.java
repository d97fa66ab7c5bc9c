package io.bizobs.remediation.flags;

/**
 * A declared flag: its type, default and allowed range. Values handed out are always the
 * canonical Java type of {@link FlagType}.
 *
 * @param name the exact, case-sensitive name
 * @param type the value type
 * @param defaultValue the value the flag has until it is first changed
 * @param min the smallest allowed value of a numeric flag, or {@code null}
 * @param max the largest allowed value of a numeric flag, or {@code null}
 * @param description what the flag does, for operators
 * @param fault which way of it injects a fault, for guards
 */
public record FlagDefinition(String name, FlagType type, Object defaultValue, Double min, Double max,
		String description, Fault fault) {

	public FlagDefinition {
		fault = (fault != null) ? fault : Fault.NONE;
		if (type == FlagType.BOOLEAN && (min != null || max != null)) {
			throw new IllegalArgumentException("Flag '" + name + "' is a boolean and cannot have a range");
		}
		try {
			defaultValue = checkRange(type.accept(defaultValue), type, min, max);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Default of flag '" + name + "' " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns the canonical value for a value as parsed from JSON, or throws
	 * {@link IllegalArgumentException} with a message that completes "Flag 'x' ...".
	 */
	public Object accept(Object raw) {
		if (raw == null) {
			throw new IllegalArgumentException("needs a value");
		}
		return checkRange(this.type.accept(raw), this.type, this.min, this.max);
	}

	Object parse(String literal) {
		return accept(this.type.parse(literal));
	}

	public boolean hasRange() {
		return this.min != null || this.max != null;
	}

	/** The smallest allowed value in the flag's own type (whole for an integer flag), or {@code null}. */
	public Number lowest() {
		return typed(this.min);
	}

	/** The largest allowed value in the flag's own type (whole for an integer flag), or {@code null}. */
	public Number highest() {
		return typed(this.max);
	}

	private Number typed(Double bound) {
		return (bound != null && this.type == FlagType.INTEGER) ? (Number) bound.longValue() : bound;
	}

	private static Object checkRange(Object value, FlagType type, Double min, Double max) {
		if (value instanceof Number number) {
			double v = number.doubleValue();
			if ((min != null && v < min) || (max != null && v > max)) {
				throw new IllegalArgumentException("must be between " + bound(min, type) + " and " + bound(max, type)
						+ ", was " + FlagValues.literal(value));
			}
		}
		return value;
	}

	private static String bound(Double bound, FlagType type) {
		if (bound == null) {
			return "unbounded";
		}
		return (type == FlagType.INTEGER) ? Long.toString(bound.longValue()) : bound.toString();
	}

}
