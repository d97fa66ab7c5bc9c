package io.bizobs.remediation.remediation;

import java.time.Instant;

/**
 * What the journeys looked like when the change was made: what "worse" is measured against.
 *
 * @param at when
 * @param errorRate the error rate then, or {@code null} with too few journeys to tell
 * @param journeys how many journeys it rests on
 */
public record Baseline(Instant at, Double errorRate, int journeys) {
}
