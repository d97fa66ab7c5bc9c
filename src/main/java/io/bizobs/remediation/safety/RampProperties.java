package io.bizobs.remediation.safety;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The error-rate ramp, {@code remediation.ramp.*}.
 *
 * @param stepInterval how often a running ramp moves errorRate; docs/api.md promises at least
 * once a second
 */
@ConfigurationProperties("remediation.ramp")
public record RampProperties(@DefaultValue("500ms") Duration stepInterval) {
}
