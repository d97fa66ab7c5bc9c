package io.bizobs.remediation.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies are read as written: {@code "true"} is not a boolean, {@code 1.5} is not a
 * whole number of seconds, {@code 5} is not a text, and a key given twice is an error rather than "last one wins".
 * A change request with a field it does not know is refused, so a misspelt {@code "dryrun": true}
 * never becomes a real change. Automation that changes production settings must not have its
 * input guessed at.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer strictRequestParsing() {
		return (builder) -> builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.withCoercionConfig(LogicalType.Textual, (text) -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.addHandler(new UnknownChangeFields());
	}

	/**
	 * Other bodies keep Jackson's leniency: the simulator takes the earlier app's journeys, whose
	 * callers send more than it reads.
	 */
	private static final class UnknownChangeFields extends DeserializationProblemHandler {

		@Override
		public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
				ValueDeserializer<?> deserializer, Object beanOrClass, String propertyName) {
			Class<?> type = (beanOrClass instanceof Class<?> declared) ? declared : beanOrClass.getClass();
			if (StrictlyRead.class.isAssignableFrom(type)) {
				throw UnrecognizedPropertyException.from(parser, beanOrClass, propertyName,
						deserializer.getKnownPropertyNames());
			}
			return false;
		}

	}

}
