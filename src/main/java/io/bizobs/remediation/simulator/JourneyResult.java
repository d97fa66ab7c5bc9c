package io.bizobs.remediation.simulator;

import java.util.List;

/**
 * What happened on a simulated journey. A failed step ends it; later steps are skipped.
 *
 * @param journeyId the journey's id
 * @param customerId the customer's id
 * @param correlationId ties the journey's steps together
 * @param companyName the customer
 * @param status {@code completed} or {@code failed}
 * @param totalSteps how many steps the journey has
 * @param completedSteps how many completed
 * @param canary whether it ran on the canary version
 * @param steps each step's outcome
 */
public record JourneyResult(String journeyId, String customerId, String correlationId, String companyName,
		String status, int totalSteps, int completedSteps, boolean canary, List<StepResult> steps) {

	public boolean failed() {
		return "failed".equals(this.status);
	}

	/**
	 * @param stepName the step
	 * @param serviceName the step service
	 * @param status {@code completed}, {@code failed} or {@code skipped}
	 * @param httpStatus what the step service answered, or 0 when skipped
	 * @param durationMs how long it took
	 * @param errorType why it failed, or {@code null}
	 * @param cached whether it was served from the cache
	 * @param canary whether it ran on the canary version
	 */
	public record StepResult(String stepName, String serviceName, String status, int httpStatus, long durationMs,
			String errorType, boolean cached, boolean canary) {

		boolean failed() {
			return "failed".equals(this.status);
		}

		boolean skipped() {
			return "skipped".equals(this.status);
		}

	}

}
