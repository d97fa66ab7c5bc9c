package io.bizobs.remediation.remediation;

import java.math.BigDecimal;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Guarded changes, {@code remediation.guards.*}: how often they are sampled, and the defaults of
 * what a change's guard may leave out.
 *
 * @param sampleInterval how often the leader takes a sample of every guard
 * @param settle default of {@code settleSeconds}
 * @param within default of {@code withinSeconds}
 * @param samples default of {@code samples}
 * @param worseBy default of {@code worseBy}
 * @param worseSamples default of {@code worseSamples}
 * @param minJourneys default of {@code minJourneys}
 * @param onNoEffect default of {@code onNoEffect}
 * @param onWorsened default of {@code onWorsened}
 * @param onInconclusive default of {@code onInconclusive}
 * @param stayClosed default of {@code stayClosedSeconds}
 */
@ConfigurationProperties("remediation.guards")
public record GuardProperties(@DefaultValue("15s") Duration sampleInterval, @DefaultValue("60s") Duration settle,
		@DefaultValue("15m") Duration within, @DefaultValue("3") int samples, @DefaultValue("0.05") BigDecimal worseBy,
		@DefaultValue("2") int worseSamples, @DefaultValue("5") int minJourneys,
		@DefaultValue("KEEP") Policy onNoEffect, @DefaultValue("REVERT") Policy onWorsened,
		@DefaultValue("KEEP") Policy onInconclusive, @DefaultValue("5m") Duration stayClosed) {
}
