package io.bizobs.remediation.web;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a client may take to send a request, and how many unfinished requests one may hold,
 * {@code remediation.connections.*}. How many connections are open at most is Tomcat's
 * {@code server.tomcat.max-connections}; docs/deployment.md sizes both to the heap.
 *
 * @param headerTimeout how long a request's line and headers may take to arrive, from their first
 * byte: Tomcat's {@code connection-timeout} only bounds the pause between two bytes, so a client
 * sending a byte every few seconds could otherwise hold a connection for hours
 * @param maxIncompletePerClient connections one client address (an IPv6 /64) may hold with a
 * request whose headers have not fully arrived; its oldest beyond these are closed
 * @param sweepInterval how often open connections are checked against these rules
 */
@ConfigurationProperties("remediation.connections")
@Validated
public record ConnectionProperties(@DefaultValue("10s") Duration headerTimeout,
		@DefaultValue("16") @Min(1) int maxIncompletePerClient, @DefaultValue("1s") Duration sweepInterval) {
}
