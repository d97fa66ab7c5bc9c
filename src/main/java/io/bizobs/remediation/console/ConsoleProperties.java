package io.bizobs.remediation.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator console, {@code remediation.console.*}.
 *
 * @param sampleInterval how often the journeys' error rate per customer is sampled for the chart
 * @param history how far back the chart goes; older samples are dropped
 */
@ConfigurationProperties("remediation.console")
record ConsoleProperties(@DefaultValue("5s") Duration sampleInterval, @DefaultValue("15m") Duration history) {

	ConsoleProperties {
		if (sampleInterval.isNegative() || sampleInterval.isZero() || history.compareTo(sampleInterval) < 0) {
			throw new IllegalArgumentException("remediation.console.sample-interval must be positive and no longer "
					+ "than remediation.console.history");
		}
	}

}
