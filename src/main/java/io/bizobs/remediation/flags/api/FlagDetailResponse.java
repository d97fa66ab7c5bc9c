package io.bizobs.remediation.flags.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bizobs.remediation.flags.FlagDefinition;
import io.bizobs.remediation.flags.FlagState;
import io.bizobs.remediation.remediation.GuardView;

/**
 * Answer to {@code GET /api/remediation/feature-flags/{flag}}.
 */
record FlagDetailResponse(boolean ok, String name, Object value, String type,
		@JsonProperty("default") Object defaultValue, Range range, String description,
		FlagState.LastChange lastChange, FlagState.PendingRevert pendingRevert, GuardView guard, long version) {

	/** @param guard the guard watching the flag, or {@code null} */
	static FlagDetailResponse of(FlagState state, long version, GuardView guard) {
		FlagDefinition definition = state.definition();
		Range range = definition.hasRange() ? new Range(definition.lowest(), definition.highest()) : null;
		return new FlagDetailResponse(true, definition.name(), state.value(), definition.type().jsonName(),
				definition.defaultValue(), range, definition.description(), state.lastChange(), state.pendingRevert(),
				guard, version);
	}

	record Range(Number min, Number max) {
	}

}
