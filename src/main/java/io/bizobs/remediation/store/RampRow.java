package io.bizobs.remediation.store;

import java.time.Instant;

/**
 * A gradual change of {@code errorRate}, as stored.
 *
 * @param id the ramp's id
 * @param from the rate when it started
 * @param to the target rate
 * @param startedAt when it started
 * @param endsAt when it reaches the target
 * @param status {@code RUNNING}, {@code COMPLETED}, {@code STOPPED}, {@code REPLACED} or
 * {@code SUPERSEDED}
 * @param finishedAt when it ended, or {@code null} while running
 * @param finalRate the rate it ended at, or {@code null} while running
 * @param reason why
 * @param problemId the Dynatrace problem it answers
 * @param triggeredBy what triggered it
 * @param caller who started it
 * @param remoteAddress where the request came from
 */
public record RampRow(String id, double from, double to, Instant startedAt, Instant endsAt, String status,
		Instant finishedAt, Double finalRate, String reason, String problemId, String triggeredBy, String caller,
		String remoteAddress) {

	public RampRow finished(String status, Instant at, double finalRate) {
		return new RampRow(this.id, this.from, this.to, this.startedAt, this.endsAt, status, at, finalRate,
				this.reason, this.problemId, this.triggeredBy, this.caller, this.remoteAddress);
	}

}
