package io.bizobs.remediation.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The names of steps and step services the simulator keeps state for: a circuit breaker and
 * counts per service, meters per step. Callers name them in their journeys, so each kind is taken
 * as it comes up to {@link #MAX_NAMES}; every later name is counted as {@link #OTHER}, and a caller
 * sending new names with every step cannot grow the simulator's memory. (A meter filter that
 * denied the later ones did not do: the registry that composes the others kept a meter for every
 * name all the same.)
 */
@Component
class StepNames {

	static final int MAX_NAMES = 100;

	static final String OTHER = "other";

	private final Map<String, String> services = new ConcurrentHashMap<>();

	private final Map<String, String> steps = new ConcurrentHashMap<>();

	/** The name the simulator's state keeps for a step service: its own, or {@link #OTHER}. */
	String service(String service) {
		return canonical(this.services, service);
	}

	/** The name a step's meters carry: its own, or {@link #OTHER}. */
	String step(String step) {
		return canonical(this.steps, step);
	}

	private static String canonical(Map<String, String> names, String name) {
		String known = names.get(name);
		if (known != null) {
			return known;
		}
		if (names.size() >= MAX_NAMES) {
			return OTHER;
		}
		// Past the bound by a few at most, when several threads add at once.
		return names.computeIfAbsent(name, (key) -> key);
	}

}
