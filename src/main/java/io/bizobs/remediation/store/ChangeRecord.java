package io.bizobs.remediation.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One accepted change of one or more flags, stored with its audit entries in one transaction.
 * Built with named steps: {@code ChangeRecord.at(now).by(…).values(…).…}.
 *
 * @param at when the change was made
 * @param valueChange whether values change (a new version); a ramp's start and end, and a guard's
 * verdict, are recorded without one
 * @param remediationType the kind of change, or {@code null} for one that is not audited
 * @param countsForGuard whether the loop guard counts it
 * @param who who asked and why
 * @param eventStatus the initial status of each flag's event
 * @param commentOnProblem whether Dynatrace also gets a comment on the change's problem, through
 * the outbox like its event
 * @param revertAt when each changed flag goes back to its previous value, or {@code null}
 * @param details extra event properties, empty for most changes
 * @param flags the flags whose value changed, or that the record is about
 */
public record ChangeRecord(Instant at, boolean valueChange, String remediationType, boolean countsForGuard, Who who,
		EventStatus eventStatus, boolean commentOnProblem, Instant revertAt, Map<String, String> details,
		List<FlagChangeRow> flags) {

	public boolean audited() {
		return this.remediationType != null;
	}

	public String reason() {
		return this.who.reason();
	}

	public String problemId() {
		return this.who.problemId();
	}

	public String triggeredBy() {
		return this.who.triggeredBy();
	}

	public String caller() {
		return this.who.caller();
	}

	public String remoteAddress() {
		return this.who.remoteAddress();
	}

	/** Starts a record made at the given time. */
	public static Builder at(Instant at) {
		return new Builder(at);
	}

	/**
	 * Who asked for a change, and why.
	 *
	 * @param reason why, as the caller said
	 * @param problemId the Dynatrace problem it answers, if any
	 * @param triggeredBy what triggered it ({@code manual}, {@code dynatrace_workflow}, …)
	 * @param caller who made it (an API key's name, or {@code anonymous})
	 * @param remoteAddress where the request came from
	 */
	public record Who(String reason, String problemId, String triggeredBy, String caller, String remoteAddress) {
	}

	/**
	 * One flag's part of a change.
	 *
	 * @param auditId the id of its audit entry, or {@code null} when not audited
	 * @param flag the flag's name
	 * @param previousValue the JSON literal before
	 * @param newValue the JSON literal after
	 */
	public record FlagChangeRow(String auditId, String flag, String previousValue, String newValue) {
	}

	/** The steps of a record; each has a default but {@link #by} and {@link #flags}. */
	public static final class Builder {

		private final Instant at;

		private boolean valueChange = true;

		private String remediationType;

		private boolean countsForGuard = true;

		private Who who;

		private EventStatus eventStatus = EventStatus.NONE;

		private boolean commentOnProblem;

		private Instant revertAt;

		private Map<String, String> details = Map.of();

		private Builder(Instant at) {
			this.at = at;
		}

		public Builder by(Who who) {
			this.who = who;
			return this;
		}

		/** New values, audited as the given kind ({@code null}: stored and served, not audited). */
		public Builder values(String remediationType) {
			this.valueChange = true;
			this.remediationType = remediationType;
			return this;
		}

		/** An audit entry about flags whose values stay as they are, such as a ramp's start. */
		public Builder recordOnly(String remediationType) {
			this.valueChange = false;
			this.remediationType = remediationType;
			return this;
		}

		public Builder countsForGuard(boolean countsForGuard) {
			this.countsForGuard = countsForGuard;
			return this;
		}

		public Builder event(EventStatus eventStatus) {
			this.eventStatus = eventStatus;
			return this;
		}

		/** Also a comment on the problem, when there is one and the event is to be sent. */
		public Builder commentOnProblem() {
			this.commentOnProblem = true;
			return this;
		}

		public Builder revertAt(Instant revertAt) {
			this.revertAt = revertAt;
			return this;
		}

		public Builder details(Map<String, String> details) {
			this.details = details;
			return this;
		}

		public ChangeRecord flags(List<FlagChangeRow> flags) {
			return new ChangeRecord(this.at, this.valueChange, this.remediationType, this.countsForGuard, this.who,
					this.eventStatus, this.commentOnProblem, this.revertAt, this.details, flags);
		}

	}

}
