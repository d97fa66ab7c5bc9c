package io.bizobs.remediation.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The step services the simulator keeps state for: a circuit breaker each, and their calls in the
 * statistics. Callers name the services of their journeys, so names are taken as they come up to
 * {@link #MAX_NAMES}; every later name is counted as {@link #OTHER}, and a caller sending a new
 * name with every step cannot grow the simulator's memory.
 */
@Component
class StepServices {

	static final int MAX_NAMES = 100;

	static final String OTHER = "other";

	private final Map<String, String> names = new ConcurrentHashMap<>();

	/** The name the simulator's state keeps for a service: its own, or {@link #OTHER}. */
	String canonical(String service) {
		String known = this.names.get(service);
		if (known != null) {
			return known;
		}
		if (this.names.size() >= MAX_NAMES) {
			return OTHER;
		}
		// Past the bound by a few at most, when several threads add at once.
		return this.names.computeIfAbsent(service, (name) -> name);
	}

	int size() {
		return this.names.size();
	}

}
