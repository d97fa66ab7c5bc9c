package io.bizobs.remediation.remediation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many runs may be under way, {@code remediation.runs.*}: every open run is moved on at every
 * sample, and every run that escalates alerts people, so a caller with a write key, or a workflow
 * that loops, must not start them without end.
 *
 * @param maxOpen runs running, or verified and not yet restored, at once, in the whole cluster
 * @param maxStartsPerMinute runs one caller may start in a minute
 */
@ConfigurationProperties("remediation.runs")
record RunLimits(@DefaultValue("50") int maxOpen, @DefaultValue("20") int maxStartsPerMinute) {
}
