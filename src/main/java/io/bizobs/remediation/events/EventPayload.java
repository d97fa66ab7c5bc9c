package io.bizobs.remediation.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.bizobs.remediation.store.AuditEntry;

import org.springframework.util.StringUtils;

/**
 * The bodies posted to the Events API, within the limits Dynatrace sets: property values are
 * strings of at most 4,096 characters and titles stay under 255, so long text is cut by us
 * rather than refused by Dynatrace.
 */
final class EventPayload {

	static final int MAX_PROPERTY_VALUE = 4096;

	static final int MAX_TITLE = 254;

	/** Minutes an event stays open in Dynatrace. */
	private static final int TIMEOUT_MINUTES = 15;

	/** Minutes an escalation's alert stays open: long enough for people to take over. */
	private static final int ESCALATION_TIMEOUT_MINUTES = 60;

	private EventPayload() {
	}

	/** The kind of audit entry that holds a guard's verdict. */
	static final String GUARD_VERDICT = "guard_verdict";

	/** The detail of a verdict that says it in words, for the event and the problem's comment. */
	static final String SUMMARY = "guard.summary";

	/** The detail of a verdict that names it. */
	static final String VERDICT = "remediation.verdict";

	/** The kind of audit entry that holds a runbook's escalation. */
	static final String RUNBOOK_ESCALATION = "runbook_escalation";

	/** The kind of audit entry that holds a run's stop. */
	static final String RUNBOOK_STOP = "runbook_stop";

	/** The detail of an escalation that says it in words, for the event and the problem's comment. */
	static final String RUNBOOK_SUMMARY = "runbook.summary";

	/** The event announcing an audit entry: a flag's change, a guard's verdict, or a run's escalation. */
	static Map<String, Object> of(AuditEntry entry, String entitySelector) {
		return switch (String.valueOf(entry.remediationType())) {
			case GUARD_VERDICT -> verdict(entry, entitySelector);
			case RUNBOOK_ESCALATION -> escalation(entry, entitySelector);
			case RUNBOOK_STOP -> stop(entry, entitySelector);
			default -> configurationChange(entry, entitySelector);
		};
	}

	/** The comment on the problem of an audit entry, in words. */
	static String comment(AuditEntry entry) {
		String summary = entry.details().getOrDefault(SUMMARY, entry.details().get(RUNBOOK_SUMMARY));
		return "BizObs Remediation: " + ((summary != null) ? summary
				: entry.flag() + " changed from " + entry.previousValue() + " to " + entry.newValue());
	}

	/**
	 * A {@code CUSTOM_ALERT} event saying a runbook ran out of remedies: an alerting type, so that
	 * Davis opens a problem on it (or adds it to the one open on the same entity) and people are
	 * notified by the environment's alerting profiles, where a {@code CUSTOM_INFO} event would only
	 * annotate.
	 */
	private static Map<String, Object> escalation(AuditEntry escalation, String entitySelector) {
		Map<String, Object> event = event("CUSTOM_ALERT", "Remediation escalated: runbook "
				+ escalation.details().get("runbook.name") + " for problem " + escalation.problemId(),
				escalation.timestamp(), entitySelector, remediationProperties(escalation));
		event.put("timeout", ESCALATION_TIMEOUT_MINUTES);
		return event;
	}

	/** A {@code CUSTOM_INFO} event saying a caller stopped a run: it annotates, no one need be called. */
	private static Map<String, Object> stop(AuditEntry stop, String entitySelector) {
		return event("CUSTOM_INFO", "Remediation stopped: runbook " + stop.details().get("runbook.name")
				+ " for problem " + stop.problemId(), stop.timestamp(), entitySelector, remediationProperties(stop));
	}

	/**
	 * The properties of an entry about a remediation rather than a change (a run's escalation or
	 * stop, a guard's verdict): who, why, and the entry's details.
	 */
	private static Map<String, String> remediationProperties(AuditEntry entry) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("problem.id", entry.problemId());
		properties.put("change.reason", entry.reason());
		properties.put("triggered.by", entry.triggeredBy());
		properties.put("remediation.type", entry.remediationType());
		properties.put("application", "BizObs");
		properties.put("change.id", entry.id());
		properties.put("feature_flag.provider.name", "bizobs-remediation");
		entry.details().forEach(properties::putIfAbsent);
		return properties;
	}

	/**
	 * A {@code CUSTOM_INFO} event with a guard's verdict on a change: whether it healed what it
	 * answered, with the evidence as properties.
	 */
	private static Map<String, Object> verdict(AuditEntry verdict, String entitySelector) {
		Map<String, String> properties = remediationProperties(verdict);
		properties.put("feature.flag", verdict.flag());
		properties.put("feature_flag.key", verdict.flag());
		String flags = verdict.details().getOrDefault("guard.flags", verdict.flag());
		return event("CUSTOM_INFO", title(verdict.details().get(VERDICT)) + ": " + flags, verdict.timestamp(),
				entitySelector, properties);
	}

	private static String title(String verdict) {
		return switch ((verdict != null) ? verdict : "") {
			case "VERIFIED" -> "Remediation verified";
			case "NO_EFFECT" -> "Remediation had no effect";
			case "WORSENED" -> "Remediation made it worse";
			default -> "Remediation inconclusive";
		};
	}

	/** The {@code CUSTOM_CONFIGURATION} event announcing one flag's change. */
	static Map<String, Object> configurationChange(AuditEntry change, String entitySelector) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("feature.flag", change.flag());
		properties.put("previous.value", change.previousValue());
		properties.put("new.value", change.newValue());
		properties.put("change.reason", change.reason());
		properties.put("triggered.by", change.triggeredBy());
		properties.put("problem.id", change.problemId());
		properties.put("remediation.type", change.remediationType());
		properties.put("application", "BizObs");
		properties.put("change.id", change.id());
		properties.put("feature_flag.key", change.flag());
		properties.put("feature_flag.provider.name", "bizobs-remediation");
		change.details().forEach(properties::putIfAbsent);
		return event("CUSTOM_CONFIGURATION", "Feature Flag Changed: " + change.flag(), change.timestamp(),
				entitySelector, properties);
	}

	/** A {@code CUSTOM_INFO} event that only checks that events get through. */
	static Map<String, Object> test(Instant at, String entitySelector) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("application", "BizObs");
		properties.put("feature_flag.provider.name", "bizobs-remediation");
		return event("CUSTOM_INFO", "BizObs Remediation: test event", at, entitySelector, properties);
	}

	private static Map<String, Object> event(String type, String title, Instant startTime, String entitySelector,
			Map<String, String> properties) {
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("eventType", type);
		event.put("title", cut(title, MAX_TITLE));
		event.put("startTime", startTime.toEpochMilli());
		event.put("timeout", TIMEOUT_MINUTES);
		if (StringUtils.hasText(entitySelector)) {
			event.put("entitySelector", entitySelector);
		}
		Map<String, String> values = new LinkedHashMap<>();
		properties.forEach((key, value) -> {
			if (value != null) {
				values.put(key, cut(value, MAX_PROPERTY_VALUE));
			}
		});
		event.put("properties", values);
		return event;
	}

	private static String cut(String text, int max) {
		return (text.length() > max) ? text.substring(0, max) : text;
	}

}
