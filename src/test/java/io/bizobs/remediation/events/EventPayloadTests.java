package io.bizobs.remediation.events;

import java.time.Instant;
import java.util.Map;

import io.bizobs.remediation.store.AuditEntry;
import io.bizobs.remediation.store.EventStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventPayloadTests {

	private static final Instant AT = Instant.parse("2026-11-24T10:15:30.123Z");

	@Test
	void configurationEventCarriesWhatTheGuidesQueriesRead() {
		Map<String, Object> event = EventPayload.configurationChange(change("Automated remediation", "P-12345"),
				null);

		assertThat(event).containsEntry("eventType", "CUSTOM_CONFIGURATION")
			.containsEntry("title", "Feature Flag Changed: errorInjectionEnabled")
			.containsEntry("startTime", AT.toEpochMilli())
			.containsEntry("timeout", 15)
			.doesNotContainKey("entitySelector");
		assertThat(properties(event)).isEqualTo(Map.ofEntries(
				Map.entry("feature.flag", "errorInjectionEnabled"), Map.entry("previous.value", "true"),
				Map.entry("new.value", "false"), Map.entry("change.reason", "Automated remediation"),
				Map.entry("triggered.by", "dynatrace_workflow"), Map.entry("problem.id", "P-12345"),
				Map.entry("remediation.type", "feature_flag_toggle"), Map.entry("application", "BizObs"),
				Map.entry("change.id", "audit-1"), Map.entry("feature_flag.key", "errorInjectionEnabled"),
				Map.entry("feature_flag.provider.name", "bizobs-remediation")));
	}

	@Test
	void problemIdAndReasonAreOnlySentWhenGiven() {
		Map<String, Object> event = EventPayload.configurationChange(change(null, null), null);
		assertThat(properties(event)).doesNotContainKeys("problem.id", "change.reason");
	}

	@Test
	void entitySelectorIsSentWhenConfigured() {
		Map<String, Object> event = EventPayload.configurationChange(change(null, null),
				"type(PROCESS_GROUP_INSTANCE),entityName.equals(\"BizObs-MainServer\")");
		assertThat(event).containsEntry("entitySelector",
				"type(PROCESS_GROUP_INSTANCE),entityName.equals(\"BizObs-MainServer\")");
	}

	@Test
	void longTextIsCutToWhatDynatraceKeeps() {
		Map<String, Object> event = EventPayload.configurationChange(change("r".repeat(5000), null), null);
		assertThat(properties(event).get("change.reason")).hasSize(4096);
		assertThat(properties(event).values()).allSatisfy((value) -> assertThat(value).isInstanceOf(String.class));

		AuditEntry longName = new AuditEntry("audit-2", AT, 1, "f".repeat(300), "true", "false", null, null,
				"manual", "feature_flag_toggle", "anonymous", null, EventStatus.PENDING, null, null, Map.of(), null, null);
		assertThat((String) EventPayload.configurationChange(longName, null).get("title")).hasSizeLessThan(255);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> properties(Map<String, Object> event) {
		return (Map<String, String>) event.get("properties");
	}

	private static AuditEntry change(String reason, String problemId) {
		return new AuditEntry("audit-1", AT, 7, "errorInjectionEnabled", "true", "false", reason, problemId,
				"dynatrace_workflow", "feature_flag_toggle", "workflow", "10.0.0.1", EventStatus.PENDING, null, null,
				Map.of(), null, null);
	}

}
