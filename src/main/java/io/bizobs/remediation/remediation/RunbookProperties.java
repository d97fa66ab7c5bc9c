package io.bizobs.remediation.remediation;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Runbooks declared in configuration, {@code remediation.runbooks.<name>.*}, beside the shipped
 * ones ({@link Runbooks#SHIPPED}); one of the same name replaces a shipped one whole.
 *
 * @param runbooks the runbooks by name
 */
@ConfigurationProperties("remediation")
public record RunbookProperties(Map<String, Runbook> runbooks) {

	public RunbookProperties {
		runbooks = (runbooks != null) ? runbooks : Map.of();
	}

	/**
	 * A ladder of guarded steps for one kind of problem.
	 *
	 * @param description what kind of problem it answers
	 * @param steps tried one after another until one is verified
	 * @param restore once a step is verified and its problem has stayed closed for the step's
	 * {@code stayClosedSeconds}, put back every flag the run changed and nobody changed since
	 * ({@code true}, the default), or keep them
	 */
	public record Runbook(String description, List<Step> steps, Boolean restore) {

		public Runbook {
			steps = (steps != null) ? steps : List.of();
			restore = (restore != null) ? restore : Boolean.TRUE;
		}

	}

	/**
	 * One step: a change of one or more flags with its guard.
	 *
	 * @param name names the step in the run, the audit and Dynatrace
	 * @param flags the new values by flag, as JSON literals ({@code false}, {@code 0.05})
	 * @param guard what the change expects and by when; the shipped runbooks' guard otherwise
	 * ({@link Runbooks#GUARD})
	 * @param onNoEffect what a {@code NO_EFFECT} or {@code INCONCLUSIVE} verdict leads to: the next
	 * step ({@code NEXT}, the default) or the end of the run, escalated ({@code STOP})
	 */
	public record Step(String name, Map<String, String> flags, GuardSpec guard, OnNoEffect onNoEffect) {

		public Step {
			flags = (flags != null) ? flags : Map.of();
			guard = (guard != null) ? guard : Runbooks.GUARD;
			onNoEffect = (onNoEffect != null) ? onNoEffect : OnNoEffect.NEXT;
		}

	}

	/** What a step that did not heal leads to. */
	public enum OnNoEffect {

		/** The next step; past the last one, the run is escalated. */
		NEXT,

		/** The run ends, escalated. */
		STOP

	}

}
