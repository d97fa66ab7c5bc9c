package io.bizobs.remediation.console;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagDefinition;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.flags.FlagValues;
import io.bizobs.remediation.security.Caller;
import io.bizobs.remediation.security.Callers;
import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.AuditQuery;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.store.GuardRow;
import io.bizobs.remediation.store.GuardStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the operator console reads beyond the flag API: every flag with the why of its last
 * change in one answer, the loop's history for its chart, and who its key makes the caller.
 * Reads only: the console changes flags through the flag API itself.
 */
@RestController
@RequestMapping("/api/console")
@Tag(name = "Operator console")
class ConsoleController {

	/** More flag changes than fit as markers on one chart; the loop guard keeps far fewer apart. */
	private static final int MAX_MARKERS = 200;

	private final FeatureFlagService flags;

	private final FlagStore store;

	private final GuardStore guards;

	private final LoopHistory history;

	private final ConsoleProperties properties;

	private final Clock clock;

	ConsoleController(FeatureFlagService flags, FlagStore store, GuardStore guards, LoopHistory history,
			ConsoleProperties properties, Clock clock) {
		this.flags = flags;
		this.store = store;
		this.guards = guards;
		this.history = history;
		this.properties = properties;
		this.clock = clock;
	}

	@GetMapping("/flags")
	@Operation(summary = "Every flag: value, type, default, range, last change with its reason and problem, "
			+ "pending revert")
	FlagsResponse flags() {
		FlagSnapshot snapshot = this.flags.snapshot();
		// The snapshot knows who changed a flag and when; why, and for which problem, is in the audit.
		List<String> auditIds = snapshot.states()
			.values()
			.stream()
			.map(FlagState::lastChange)
			.filter(Objects::nonNull)
			.map(FlagState.LastChange::auditId)
			.filter(Objects::nonNull)
			.toList();
		Map<String, AuditEntry> entries = this.store.auditEntries(auditIds)
			.stream()
			.collect(Collectors.toMap(AuditEntry::id, Function.identity()));
		Map<String, GuardRow> guards = this.guards.byAuditIds(auditIds);
		List<FlagView> views = snapshot.states()
			.values()
			.stream()
			.map((state) -> FlagView.of(state, entries, guards))
			.toList();
		return new FlagsResponse(true, snapshot.version(), snapshot.updatedAt(), views);
	}

	@GetMapping("/loop")
	@Operation(summary = "The journeys' error rate per customer, sampled over the history, and the flag changes "
			+ "in it, newest first")
	LoopResponse loop() {
		Instant since = this.clock.instant().minus(this.properties.history());
		List<Marker> markers = this.store.audit(new AuditQuery(null, since, MAX_MARKERS))
			.stream()
			.map(Marker::of)
			.toList();
		return new LoopResponse(true, this.properties.history().toSeconds(),
				this.properties.sampleInterval().toMillis(), this.history.samples(), markers);
	}

	@GetMapping("/caller")
	@Operation(summary = "Who the request's key makes the caller, and what it may change")
	CallerResponse caller() {
		Caller caller = Callers.current().orElseThrow();
		return new CallerResponse(true, caller.name(), caller.mayWrite(), caller.flags());
	}

	/**
	 * @param version the flags' version
	 * @param updatedAt when that version was made
	 * @param flags every flag, in the registry's order
	 */
	record FlagsResponse(boolean ok, long version, Instant updatedAt, List<FlagView> flags) {
	}

	/**
	 * @param min the smallest allowed value of a number flag, or {@code null}
	 * @param max the largest allowed value of a number flag, or {@code null}
	 * @param lastChange the change that set the value, or {@code null} while it has its default
	 * @param pendingRevert the revert due for the value, or {@code null}
	 * @param guard the guard of the change that set the value, or {@code null}
	 */
	record FlagView(String name, String type, Object value, @JsonProperty("default") Object defaultValue, Number min,
			Number max, String description, LastChange lastChange, FlagState.PendingRevert pendingRevert,
			Guard guard) {

		static FlagView of(FlagState state, Map<String, AuditEntry> entries, Map<String, GuardRow> guards) {
			FlagDefinition definition = state.definition();
			GuardRow guard = (state.lastChange() != null && state.lastChange().auditId() != null)
					? guards.get(state.lastChange().auditId()) : null;
			return new FlagView(definition.name(), definition.type().jsonName(), state.value(),
					definition.defaultValue(), definition.lowest(), definition.highest(), definition.description(),
					LastChange.of(state.lastChange(), entries), state.pendingRevert(),
					(guard != null) ? Guard.of(guard) : null);
		}

	}

	/**
	 * The guard of a flag's last change.
	 *
	 * @param id its id
	 * @param state {@code WATCHING}, {@code HOLDING} or {@code ENDED}
	 * @param verdict its verdict, once there is one
	 * @param deadline the verdict comes by then
	 * @param revertAt while holding: reverted not before then
	 * @param action what it did about its verdict
	 */
	record Guard(String id, String state, String verdict, Instant deadline, Instant revertAt, String action) {

		static Guard of(GuardRow guard) {
			return new Guard(guard.id(), guard.progress().state(), guard.outcome().verdict(), guard.deadline(),
					guard.outcome().revertAt(), guard.outcome().action());
		}

	}

	/**
	 * @param auditId the audit entry, or {@code null} for a ramp's step, which has none
	 * @param reason why, from the audit entry
	 * @param problemId the problem it answered, from the audit entry
	 */
	record LastChange(Instant at, String triggeredBy, String caller, String auditId, String reason,
			String problemId) {

		static LastChange of(FlagState.LastChange change, Map<String, AuditEntry> entries) {
			if (change == null) {
				return null;
			}
			AuditEntry entry = (change.auditId() != null) ? entries.get(change.auditId()) : null;
			return new LastChange(change.at(), change.triggeredBy(), change.caller(), change.auditId(),
					(entry != null) ? entry.reason() : null, (entry != null) ? entry.problemId() : null);
		}

	}

	/**
	 * @param historySeconds how far back the samples go at most
	 * @param sampleIntervalMillis how far apart they are
	 * @param samples oldest first
	 * @param markers the audited flag changes in the history, newest first
	 */
	record LoopResponse(boolean ok, long historySeconds, long sampleIntervalMillis, List<LoopHistory.Sample> samples,
			List<Marker> markers) {
	}

	/**
	 * @param version the flags' version the change made: the flags of a bulk change share one
	 * @param verdict a guard's verdict ({@code VERIFIED}, {@code NO_EFFECT}, …) or {@code ESCALATED}
	 * for a run's escalation: an entry that judges changes rather than makes one
	 */
	record Marker(Instant at, long version, String flag, Object previousValue, Object newValue, String triggeredBy,
			String caller, String reason, String problemId, String remediationType, String verdict) {

		static Marker of(AuditEntry entry) {
			return new Marker(entry.timestamp(), entry.version(), entry.flag(),
					FlagValues.fromLiteral(entry.previousValue()),
					FlagValues.fromLiteral(entry.newValue()), entry.triggeredBy(), entry.caller(), entry.reason(),
					entry.problemId(), entry.remediationType(),
					entry.details().getOrDefault("remediation.verdict", entry.details().get("runbook.state")));
		}

	}

	/**
	 * @param name the key's name, or {@code anonymous}
	 * @param mayWrite whether it may change flags
	 * @param flags the flags it may change; empty means all
	 */
	record CallerResponse(boolean ok, String name, boolean mayWrite, Set<String> flags) {
	}

}
