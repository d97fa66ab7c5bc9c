package io.bizobs.remediation.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bizobs.remediation.flags.FlagDefinition;
import io.bizobs.remediation.flags.FlagRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The guide's scenarios as named flag changes an operator can replay: the faults of a scenario
 * on, and back to the defaults. Each is an ordinary audited change, so the loop sees it as it
 * would see any fault.
 */
@Component
class Scenarios {

	private final Map<String, Scenario> scenarios;

	Scenarios(FlagRegistry registry) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		registry.all().forEach((flag) -> defaults.put(flag.name(), flag.defaultValue()));
		Map<String, Object> errors = new LinkedHashMap<>();
		errors.put("errorInjectionEnabled", true);
		errors.put("circuitBreakerEnabled", false);
		errors.put("errorRate", registry.find("errorRate").map(FlagDefinition::defaultValue).orElseThrow());
		Map<String, Scenario> scenarios = new LinkedHashMap<>();
		scenarios.put("high-error-rate", new Scenario("The guide's \"Simulate High Error Rate\": error injection on at "
				+ "the default rate, the circuit breaker off. Umbrella Corporation fails most (35 % of its steps)", errors,
				"With journeys running, GET /api/journey-simulation/stats shows errorRate above 0.05 within a minute, "
						+ "Umbrella Corporation's the highest. With Dynatrace, the error-rate detector opens a problem "
						+ "about three minutes later and its workflow starts the error-rate runbook. By hand: "
						+ "POST /api/remediation/runbooks/error-rate/runs, or errorInjectionEnabled=false; the error "
						+ "rate falls to 0 within a minute."));
		Map<String, Object> slow = new LinkedHashMap<>();
		slow.put("slowResponsesEnabled", true);
		slow.put("cacheEnabled", false);
		scenarios.put("slow-journeys", new Scenario("Slow journeys: slow responses on (a fifth of the steps take 1 to "
				+ "3 s longer), the cache off", slow,
				"With journeys running, GET /api/journey-simulation/stats shows latencyMs.p95 above 1,000 within a "
						+ "minute. By hand: POST /api/remediation/runbooks/slow-journeys/runs, or "
						+ "slowResponsesEnabled=false; p95 falls below 500 within a minute."));
		scenarios.put("reset", new Scenario("Every flag back to its default, as one audited change", defaults,
				"GET /api/remediation/feature-flags shows the defaults; the audit has the reset as one version."));
		this.scenarios = Collections.unmodifiableMap(scenarios);
	}

	Map<String, Scenario> all() {
		return this.scenarios;
	}

	/**
	 * @throws ErrorResponseException 404 if there is no such scenario
	 */
	Scenario get(String name) {
		Scenario scenario = this.scenarios.get(name);
		if (scenario == null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					"No scenario '" + name + "'; there are " + String.join(", ", this.scenarios.keySet()));
			problem.setProperty("availableScenarios", List.copyOf(this.scenarios.keySet()));
			throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		}
		return scenario;
	}

	/**
	 * @param description what it does
	 * @param flags the values it sets
	 * @param expect what an operator should see afterwards, and how to end it
	 */
	record Scenario(String description, Map<String, Object> flags, String expect) {
	}

}
