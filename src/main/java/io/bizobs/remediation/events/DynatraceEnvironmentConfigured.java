package io.bizobs.remediation.events;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Whether a Dynatrace environment is configured ({@code DT_ENVIRONMENT}): without one, nothing
 * is sent there.
 */
class DynatraceEnvironmentConfigured implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return StringUtils.hasText(context.getEnvironment().getProperty("remediation.dynatrace.environment"));
	}

}
