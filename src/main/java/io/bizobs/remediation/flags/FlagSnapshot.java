package io.bizobs.remediation.flags;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All flags at one version. Immutable and replaced whole on every change, so readers never
 * lock and never see half of a bulk change.
 *
 * @param version grows by one with every stored change (a bulk change is one)
 * @param updatedAt when this version was made
 * @param states the flags in registry order
 */
public record FlagSnapshot(long version, Instant updatedAt, Map<String, FlagState> states) {

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

}
