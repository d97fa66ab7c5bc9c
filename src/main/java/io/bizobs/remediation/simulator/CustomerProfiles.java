package io.bizobs.remediation.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The earlier app's customer error profiles. Rates are relative to the default {@code errorRate}
 * of 0.12 and scale with it.
 */
final class CustomerProfiles {

	static final double BASE_RATE = 0.12;

	static final double MAX_RATE = 0.95;

	private static final Map<String, Double> RATES = Map.of("Umbrella Corporation", 0.35, "Globex Corporation", 0.25,
			"Acme Corp", 0.15, "Initech", 0.08, "Stark Industries", 0.05);

	/** Umbrella's weak spots, by words in the step's name. */
	private static final Set<String> UMBRELLA_WEAK_STEPS = Set.of("verification", "security", "data processing",
			"dataprocessing", "confirmation");

	private CustomerProfiles() {
	}

	/** The chance that a step of this customer fails, at the given {@code errorRate}. */
	static double errorRate(String customer, String step, double errorRate) {
		double rate = RATES.getOrDefault(customer, BASE_RATE);
		if ("Umbrella Corporation".equals(customer) && isWeakStep(step)) {
			rate *= 1.5;
		}
		return Math.min(MAX_RATE, rate * errorRate / BASE_RATE);
	}

	/** The customer's name as a metric tag: a known profile, or {@code other}. */
	static String tag(String customer) {
		return RATES.containsKey(customer) ? customer : "other";
	}

	private static boolean isWeakStep(String step) {
		String name = step.toLowerCase(Locale.ROOT);
		return UMBRELLA_WEAK_STEPS.stream().anyMatch(name::contains);
	}

}
