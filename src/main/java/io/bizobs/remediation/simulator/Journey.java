package io.bizobs.remediation.simulator;

import java.util.List;

/**
 * A customer journey to simulate.
 *
 * @param journeyId the caller's id, or {@code null} to make one
 * @param customerId the caller's customer id, or {@code null} to make one
 * @param companyName the customer, which picks the error profile
 * @param steps the steps in order
 */
public record Journey(String journeyId, String customerId, String companyName, List<Step> steps) {

	/** The earlier app's six steps, used when a journey names none. */
	public static final List<Step> DEFAULT_STEPS = List.of(new Step("Discovery", null), new Step("Awareness", null),
			new Step("Consideration", null), new Step("Purchase", null), new Step("Retention", null),
			new Step("Advocacy", null));

	/**
	 * @param stepName what the step is called
	 * @param serviceName the step service that runs it, or {@code null} to derive one
	 */
	public record Step(String stepName, String serviceName) {

		String service() {
			return (this.serviceName != null && !this.serviceName.isBlank()) ? this.serviceName
					: this.stepName.replaceAll("[^A-Za-z0-9]", "") + "Service";
		}

	}

}
