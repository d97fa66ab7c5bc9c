package io.bizobs.remediation.flags;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The value types a flag can have. Values are accepted only in their own JSON type: a string
 * {@code "false"} is not a boolean and {@code 50.0} is not an integer, so a misrendered
 * workflow template is refused instead of silently changing production behaviour.
 */
public enum FlagType {

	BOOLEAN("boolean") {
		@Override
		Object accept(Object raw) {
			if (raw instanceof Boolean value) {
				return value;
			}
			throw new IllegalArgumentException("must be a boolean (true or false)");
		}
	},

	INTEGER("integer") {
		@Override
		Object accept(Object raw) {
			if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
				return ((Number) raw).longValue();
			}
			if (raw instanceof BigInteger big) {
				if (big.bitLength() >= Long.SIZE) {
					throw new IllegalArgumentException("is out of range");
				}
				return big.longValue();
			}
			throw new IllegalArgumentException("must be an integer");
		}
	},

	NUMBER("number") {
		@Override
		Object accept(Object raw) {
			if (raw instanceof Number number) {
				double value = number.doubleValue();
				if (!Double.isFinite(value)) {
					throw new IllegalArgumentException("is out of range");
				}
				if (value == 0 && number instanceof BigDecimal exact && exact.signum() != 0) {
					throw new IllegalArgumentException("is too small to be stored: it is not 0, but would become 0");
				}
				// -0.0 would compare unequal to 0.0 and count as a change.
				return value + 0.0;
			}
			throw new IllegalArgumentException("must be a number");
		}
	};

	private final String jsonName;

	FlagType(String jsonName) {
		this.jsonName = jsonName;
	}

	/** The name used in API responses ({@code boolean}, {@code integer}, {@code number}). */
	public String jsonName() {
		return this.jsonName;
	}

	/**
	 * Returns the canonical value ({@link Boolean}, {@link Long} or {@link Double}) for a value
	 * as parsed from JSON, or throws {@link IllegalArgumentException} saying what is wrong.
	 */
	abstract Object accept(Object raw);

	/** Reads a value written by {@link FlagValues#literal(Object)}. */
	Object parse(String literal) {
		return switch (this) {
			case BOOLEAN -> switch (literal) {
				case "true" -> Boolean.TRUE;
				case "false" -> Boolean.FALSE;
				default -> throw new IllegalArgumentException("not a boolean: " + literal);
			};
			case INTEGER -> Long.parseLong(literal);
			case NUMBER -> accept(Double.parseDouble(literal));
		};
	}

}
