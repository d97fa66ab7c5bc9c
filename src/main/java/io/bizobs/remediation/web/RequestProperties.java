package io.bizobs.remediation.web;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a request may send, {@code remediation.requests.*}.
 *
 * @param bodyTimeout how long a request body may take to arrive in full
 * @param maxSlowBodies request bodies still arriving that are waited for at once, each on a request
 * thread of its own (the service has 8), for callers that neither have a key nor may write; more
 * are answered 503
 * @param maxSlowBodiesPerClient of those, how many one client may have; more are answered 429
 * @param maxSlowBodiesTrusted request bodies still arriving that are waited for at once for callers
 * with a key or that may write, apart from the others; more are answered 503
 */
@ConfigurationProperties("remediation.requests")
@Validated
public record RequestProperties(@DefaultValue("10s") Duration bodyTimeout, @DefaultValue("4") @Min(1) int maxSlowBodies,
		@DefaultValue("2") @Min(1) int maxSlowBodiesPerClient, @DefaultValue("2") @Min(1) int maxSlowBodiesTrusted) {
}
