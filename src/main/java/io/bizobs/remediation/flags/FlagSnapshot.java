package io.bizobs.remediation.flags;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.StoredFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All flags at one version. Immutable and replaced whole on every change, so readers never
 * lock and never see half of a bulk change.
 *
 * @param version grows by one with every stored change (a bulk change is one)
 * @param updatedAt when this version was made
 * @param states the flags in registry order
 */
public record FlagSnapshot(long version, Instant updatedAt, Map<String, FlagState> states) {

	private static final Logger logger = LoggerFactory.getLogger(FlagSnapshot.class);

	public FlagSnapshot {
		states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
	}

	/** Each flag's plain value, in registry order. */
	public Map<String, Object> values() {
		Map<String, Object> values = new LinkedHashMap<>();
		this.states.forEach((name, state) -> values.put(name, state.value()));
		return values;
	}

	/**
	 * One flag's state.
	 * @throws UnknownFlagException if no such flag is declared
	 */
	public FlagState state(String flag) {
		FlagState state = this.states.get(flag);
		if (state == null) {
			throw new UnknownFlagException(flag, List.copyOf(this.states.keySet()));
		}
		return state;
	}

	public Object value(String flag) {
		FlagState state = this.states.get(flag);
		return (state != null) ? state.value() : null;
	}

	/**
	 * The flags as stored, each declared flag at its stored value, or its default where it has
	 * none or the stored one no longer fits its declaration.
	 */
	static FlagSnapshot restored(FlagRegistry registry, StoredFlags stored) {
		Map<String, FlagState> states = new LinkedHashMap<>();
		for (FlagDefinition definition : registry.all()) {
			states.put(definition.name(), restore(definition, stored.flags().get(definition.name()),
					stored.reverts().get(definition.name())));
		}
		return new FlagSnapshot(stored.version(), stored.updatedAt(), states);
	}

	private static FlagState restore(FlagDefinition definition, StoredFlags.Row row, StoredFlags.Revert revert) {
		if (row == null) {
			return new FlagState(definition, definition.defaultValue(), null, null);
		}
		try {
			FlagState.PendingRevert pendingRevert = (revert != null)
					? new FlagState.PendingRevert(revert.revertAt(), definition.parse(revert.revertTo()),
							revert.auditId())
					: null;
			return new FlagState(definition, definition.parse(row.value()),
					new FlagState.LastChange(row.changedAt(), row.triggeredBy(), row.caller(), row.auditId()),
					pendingRevert);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Stored value {} of flag '{}' does not fit its declaration ({}); using the default {}",
					row.value(), definition.name(), ex.getMessage(), definition.defaultValue());
			return new FlagState(definition, definition.defaultValue(), null, null);
		}
	}

	/** The flags after a stored change, as its transaction wrote them. */
	FlagSnapshot after(List<FlagChange> changes, ChangeContext context, long version, Instant now, Instant revertAt) {
		Map<String, FlagState> states = new LinkedHashMap<>(this.states);
		for (FlagChange change : changes) {
			if (change.changed()) {
				FlagState state = states.get(change.flag());
				FlagState.PendingRevert revert = (revertAt != null)
						? new FlagState.PendingRevert(revertAt, change.previousValue(), change.auditId()) : null;
				states.put(change.flag(), new FlagState(state.definition(), change.newValue(),
						new FlagState.LastChange(now, context.triggeredBy(), context.caller(), change.auditId()),
						revert));
			}
		}
		return new FlagSnapshot(version, now, states);
	}

	/** What setting these values would do to each flag, nothing recorded yet. */
	List<FlagChange> plan(Map<String, Object> accepted) {
		List<FlagChange> changes = new ArrayList<>();
		accepted.forEach((flag, value) -> {
			Object previous = value(flag);
			changes.add(new FlagChange(flag, previous, value, !Objects.equals(previous, value), null, EventStatus.NONE));
		});
		return changes;
	}

}
