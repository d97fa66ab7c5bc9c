package io.bizobs.remediation.flags;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import io.bizobs.remediation.store.ChangeRecord;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.store.StoredFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The flags: read from an immutable in-memory snapshot, changed only through
 * {@link #change(FlagChangeCommand)}, which validates, stores, audits and queues the event of
 * every change, whoever makes it, and then publishes {@link FlagsChanged}.
 */
@Service
public class FeatureFlagService {

	private static final Logger logger = LoggerFactory.getLogger(FeatureFlagService.class);

	private final FlagRegistry registry;

	private final FlagStore store;

	private final Clock clock;

	private final ChangeEventPolicy eventPolicy;

	private final ApplicationEventPublisher publisher;

	private final Lock writeLock = new ReentrantLock();

	private volatile FlagSnapshot snapshot;

	public FeatureFlagService(FlagRegistry registry, FlagStore store, Clock clock, ChangeEventPolicy eventPolicy,
			ApplicationEventPublisher publisher) {
		this.registry = registry;
		this.store = store;
		this.clock = clock;
		this.eventPolicy = eventPolicy;
		this.publisher = publisher;
		this.snapshot = load();
	}

	private FlagSnapshot load() {
		StoredFlags stored = this.store.load();
		Map<String, FlagState> states = new LinkedHashMap<>();
		for (FlagDefinition definition : this.registry.all()) {
			states.put(definition.name(), restore(definition, stored.flags().get(definition.name())));
		}
		return new FlagSnapshot(stored.version(), stored.updatedAt(), states);
	}

	private static FlagState restore(FlagDefinition definition, StoredFlags.Row row) {
		if (row == null) {
			return new FlagState(definition, definition.defaultValue(), null);
		}
		try {
			return new FlagState(definition, definition.parse(row.value()),
					new FlagState.LastChange(row.changedAt(), row.triggeredBy(), row.caller(), row.auditId()));
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Stored value {} of flag '{}' does not fit its declaration ({}); using the default {}",
					row.value(), definition.name(), ex.getMessage(), definition.defaultValue());
			return new FlagState(definition, definition.defaultValue(), null);
		}
	}

	/** The current flags. Never locks and never touches the database. */
	public FlagSnapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Applies a change, all or nothing. A value equal to the current one is reported as
	 * unchanged and neither recorded nor announced. The change is committed to the database
	 * before this method returns.
	 * @throws InvalidFlagChangeException if any entry is unknown or invalid
	 * @throws VersionMismatchException if the expected version is not the current one
	 */
	public FlagChangeOutcome change(FlagChangeCommand command) {
		Map<String, Object> accepted = validate(command.values());
		FlagChangeOutcome outcome;
		FlagSnapshot changed;
		this.writeLock.lock();
		try {
			// Taken under the lock so that versions and their times rise together.
			Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
			FlagSnapshot current = this.snapshot;
			if (command.expectedVersion() != null && command.expectedVersion() != current.version()) {
				throw new VersionMismatchException(command.expectedVersion(), current.version());
			}
			List<FlagChange> planned = plan(current, accepted);
			if (command.dryRun() || planned.stream().noneMatch(FlagChange::changed)) {
				return new FlagChangeOutcome(planned, current.version(), now, command.dryRun());
			}
			EventStatus eventStatus = this.eventPolicy.initialStatus();
			List<FlagChange> changes = recorded(planned, eventStatus);
			long version = this.store.commit(record(command, changes, eventStatus, now));
			changed = next(current, changes, command.context(), version, now);
			this.snapshot = changed;
			outcome = new FlagChangeOutcome(changes, version, now, false);
		}
		finally {
			this.writeLock.unlock();
		}
		log(outcome, command.context());
		this.publisher.publishEvent(new FlagsChanged(changed, outcome));
		return outcome;
	}

	private Map<String, Object> validate(Map<String, Object> values) {
		Map<String, Object> accepted = new LinkedHashMap<>();
		List<InvalidFlagChangeException.Violation> violations = new ArrayList<>();
		boolean unknown = false;
		for (Map.Entry<String, Object> entry : values.entrySet()) {
			FlagDefinition definition = this.registry.find(entry.getKey()).orElse(null);
			if (definition == null) {
				unknown = true;
				violations.add(new InvalidFlagChangeException.Violation(entry.getKey(),
						"Unknown flag '" + entry.getKey() + "'"));
				continue;
			}
			try {
				accepted.put(entry.getKey(), definition.accept(entry.getValue()));
			}
			catch (IllegalArgumentException ex) {
				violations.add(new InvalidFlagChangeException.Violation(entry.getKey(),
						"Flag '" + entry.getKey() + "' " + ex.getMessage()));
			}
		}
		if (!violations.isEmpty()) {
			throw new InvalidFlagChangeException(violations, unknown ? this.registry.names() : List.of());
		}
		return accepted;
	}

	private static List<FlagChange> plan(FlagSnapshot current, Map<String, Object> accepted) {
		List<FlagChange> changes = new ArrayList<>();
		accepted.forEach((flag, value) -> {
			Object previous = current.value(flag);
			changes.add(new FlagChange(flag, previous, value, !Objects.equals(previous, value), null, EventStatus.NONE));
		});
		return changes;
	}

	/** The planned changes as recorded: each changed flag gets its audit entry and event. */
	private static List<FlagChange> recorded(List<FlagChange> planned, EventStatus eventStatus) {
		return planned.stream()
			.map((change) -> change.changed() ? new FlagChange(change.flag(), change.previousValue(),
					change.newValue(), true, UUID.randomUUID().toString(), eventStatus) : change)
			.toList();
	}

	private static ChangeRecord record(FlagChangeCommand command, List<FlagChange> changes, EventStatus eventStatus,
			Instant now) {
		ChangeContext context = command.context();
		List<ChangeRecord.FlagChangeRow> rows = changes.stream()
			.filter(FlagChange::changed)
			.map((change) -> new ChangeRecord.FlagChangeRow(change.auditId(), change.flag(),
					FlagValues.literal(change.previousValue()), FlagValues.literal(change.newValue())))
			.toList();
		return new ChangeRecord(now, command.type().remediationType(), context.reason(), context.problemId(),
				context.triggeredBy(), context.caller(), context.remoteAddress(), eventStatus, rows);
	}

	private static FlagSnapshot next(FlagSnapshot current, List<FlagChange> changes, ChangeContext context,
			long version, Instant now) {
		Map<String, FlagState> states = new LinkedHashMap<>(current.states());
		for (FlagChange change : changes) {
			if (change.changed()) {
				FlagState state = states.get(change.flag());
				states.put(change.flag(), new FlagState(state.definition(), change.newValue(),
						new FlagState.LastChange(now, context.triggeredBy(), context.caller(), change.auditId())));
			}
		}
		return new FlagSnapshot(version, now, states);
	}

	private static void log(FlagChangeOutcome outcome, ChangeContext context) {
		for (FlagChange change : outcome.changes()) {
			if (change.changed()) {
				logger.info("[Remediation] Feature flag changed: {} = {} → {}", change.flag(), change.previousValue(),
						change.newValue());
			}
		}
		logger.info("[Remediation] Reason: {}", printable(context.reason()));
		String problem = (context.problemId() != null) ? "problem " + printable(context.problemId()) + ", " : "";
		logger.info("[Remediation] Triggered by: {} ({}caller {})", printable(context.triggeredBy()), problem,
				context.caller());
	}

	/** Keeps caller-supplied text on one log line, so it cannot forge log entries. */
	private static String printable(String text) {
		if (text == null || text.isBlank()) {
			return "(none)";
		}
		return text.replaceAll("\\p{Cntrl}", " ");
	}

}
