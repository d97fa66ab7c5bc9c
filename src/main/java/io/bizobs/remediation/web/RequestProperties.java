package io.bizobs.remediation.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what a request may send, {@code remediation.requests.*}.
 *
 * @param bodyTimeout how long a request body may take to arrive in full
 */
@ConfigurationProperties("remediation.requests")
public record RequestProperties(@DefaultValue("10s") Duration bodyTimeout) {
}
