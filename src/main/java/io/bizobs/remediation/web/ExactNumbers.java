package io.bizobs.remediation.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a flag's value as JSON wrote it, a number with a fraction or an exponent as the exact
 * decimal: as a {@code double}, {@code 1e-400} would silently become 0, and the flag's type,
 * which knows what it can store, could no longer refuse it.
 */
public final class ExactNumbers extends ValueDeserializer<Object> {

	@Override
	public Object deserialize(JsonParser parser, DeserializationContext context) {
		if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
			return parser.getDecimalValue();
		}
		return context.readValue(parser, Object.class);
	}

}
