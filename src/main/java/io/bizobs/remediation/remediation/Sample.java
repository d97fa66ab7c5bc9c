package io.bizobs.remediation.remediation;

import java.time.Instant;

/**
 * One look at the evidence.
 *
 * @param at when
 * @param errorRate the journeys' error rate in the statistics window, or {@code null} with too few
 * journeys
 * @param journeys how many journeys it rests on
 * @param problemStatus {@code OPEN} or {@code CLOSED}, or {@code null} when not asked for or not read
 * @param problemEndTime when the problem closed, or {@code null}
 * @param unavailable why some evidence asked for could not be read, or {@code null}
 * @param hasData whether every kind of evidence asked for could be read
 * @param good whether every kind of evidence asked for says healed
 * @param worse whether the error rate is above the baseline by more than the margin
 */
public record Sample(Instant at, Double errorRate, int journeys, String problemStatus, Instant problemEndTime,
		String unavailable, boolean hasData, boolean good, boolean worse) {
}
