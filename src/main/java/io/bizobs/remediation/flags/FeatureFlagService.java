package io.bizobs.remediation.flags;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import io.bizobs.remediation.store.ChangeRecord;
import io.bizobs.remediation.store.DatabaseChanged;
import io.bizobs.remediation.store.EventStatus;
import io.bizobs.remediation.store.FlagStore;
import io.bizobs.remediation.store.StoredFlags;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The flags: read from an immutable in-memory snapshot, changed only through
 * {@link #change(FlagChangeCommand)}, which validates, stores, audits and queues the event of
 * every change, whoever makes it, and then publishes {@link FlagsChanged}. Every write, changes
 * and the audit-only records of a ramp alike, goes through one locked path ({@link #locked});
 * the class is longer than most because that path's locking, ordering and announcing are kept
 * in one place, where they cannot drift apart.
 */
@Service
public class FeatureFlagService {

	private final FlagRegistry registry;

	private final FlagStore store;

	private final Clock clock;

	private final ChangeEventPolicy eventPolicy;

	private final ChangeGuard guard;

	private final ApplicationEventPublisher publisher;

	private final ReentrantLock writeLock = new ReentrantLock();

	/** Entries recorded within {@link #underLock}, announced when it ends; guarded by the write lock. */
	private final List<String> recordedUnderLock = new ArrayList<>();

	/** Replaced only by a later version ({@link #advance}), so every reader sees versions go forward. */
	private final AtomicReference<FlagSnapshot> snapshot = new AtomicReference<>();

	public FeatureFlagService(FlagRegistry registry, FlagStore store, Clock clock, ChangeEventPolicy eventPolicy,
			ChangeGuard guard, ApplicationEventPublisher publisher) {
		this.registry = registry;
		this.store = store;
		this.clock = clock;
		this.eventPolicy = eventPolicy;
		this.guard = guard;
		this.publisher = publisher;
		this.snapshot.set(load());
	}

	private FlagSnapshot load() {
		return snapshotOf(this.store.load());
	}

	private FlagSnapshot snapshotOf(StoredFlags stored) {
		return FlagSnapshot.restored(this.registry, stored);
	}

	/**
	 * The current flags. Never locks and never touches the database. A caller that asks again
	 * gets the same version or a later one, never an earlier one.
	 */
	public FlagSnapshot snapshot() {
		return this.snapshot.get();
	}

	/**
	 * Makes the given flags the current ones if they are of a later version than the current
	 * ones: a compare-and-set, so a slow writer or reload never puts an older version back.
	 * @return whether they became current
	 */
	private boolean advance(FlagSnapshot next) {
		FlagSnapshot current;
		do {
			current = this.snapshot.get();
			if (next.version() <= current.version()) {
				return false;
			}
		}
		while (!this.snapshot.compareAndSet(current, next));
		return true;
	}

	/**
	 * Applies a change, all or nothing. A value equal to the current one is reported as
	 * unchanged and neither recorded nor announced. The change is committed to the database
	 * before this method returns.
	 * @throws InvalidFlagChangeException if any entry is unknown or invalid
	 * @throws VersionMismatchException if the expected version is not the current one
	 * @throws ChangeRateExceededException if the guard refuses the change
	 */
	public FlagChangeOutcome change(FlagChangeCommand command) {
		return apply(command, (current) -> true).orElseThrow();
	}

	/**
	 * Puts a flag back to its value before the given change, if that change's revert is still
	 * pending: a newer change of the flag cancels it.
	 * @return the revert, or empty when it no longer applies
	 */
	public Optional<FlagChangeOutcome> revert(String flag, String auditId, ChangeContext context) {
		FlagState.PendingRevert pending = pendingRevert(snapshot(), flag, auditId);
		if (pending == null) {
			return Optional.empty();
		}
		return apply(FlagChangeCommand.of(Map.of(flag, pending.revertTo()), ChangeType.AUTO_REVERT, context),
				(current) -> pendingRevert(current, flag, auditId) != null);
	}

	private static FlagState.PendingRevert pendingRevert(FlagSnapshot snapshot, String flag, String auditId) {
		FlagState state = snapshot.states().get(flag);
		FlagState.PendingRevert pending = (state != null) ? state.pendingRevert() : null;
		return (pending != null && pending.auditId().equals(auditId)) ? pending : null;
	}

	/**
	 * Applies a change if the precondition holds for the flags as they are when the change
	 * holds the write lock and the database's row lock; a change another replica made is read
	 * first. Listeners are told after the locks are released, so they may make changes of their
	 * own.
	 */
	private Optional<FlagChangeOutcome> apply(FlagChangeCommand command, Predicate<FlagSnapshot> precondition) {
		Map<String, Object> accepted = this.registry.accept(command.values());
		Applied applied = locked((current) -> applyLocked(command, accepted, precondition, current), (stored) -> {
			if (stored.changed() != null) {
				advance(stored.changed());
			}
		});
		if (applied.changed() != null) {
			if (command.type().audited()) {
				ChangeLog.log(applied.outcome(), command.context());
			}
			this.publisher.publishEvent(new FlagsChanged(applied.changed(), command.type(), applied.outcome()));
		}
		return Optional.ofNullable(applied.outcome());
	}

	private Applied applyLocked(FlagChangeCommand command, Map<String, Object> accepted,
			Predicate<FlagSnapshot> precondition, FlagSnapshot current) {
		ChangeType type = command.type();
		// Taken under the lock so that versions and their times rise together.
		Instant now = now();
		if (!precondition.test(current)) {
			return new Applied(null, null);
		}
		if (command.expectedVersion() != null && command.expectedVersion() != current.version()) {
			throw new VersionMismatchException(command.expectedVersion(), current.version());
		}
		List<FlagChange> planned = current.plan(accepted);
		List<String> changedFlags = planned.stream().filter(FlagChange::changed).map(FlagChange::flag).toList();
		Instant revertAt = (command.revertAfter() != null && !changedFlags.isEmpty())
				? now.plus(command.revertAfter()) : null;
		if (command.dryRun() || changedFlags.isEmpty()) {
			return new Applied(new FlagChangeOutcome(planned, current.version(), now, command.dryRun(), revertAt),
					null);
		}
		// A revert restores a value that was meant to be temporary: the guard counts it but never
		// holds it back.
		if (type.audited() && type != ChangeType.AUTO_REVERT) {
			this.guard.check(changedFlags, command.context().caller(), now);
		}
		EventStatus eventStatus = type.audited() ? this.eventPolicy.initialStatus() : EventStatus.NONE;
		List<FlagChange> changes = ChangeRecords.withEntries(planned, type, eventStatus);
		long version = this.store.write(ChangeRecords.of(type, command.context(), changes, eventStatus, now, revertAt));
		return new Applied(new FlagChangeOutcome(changes, version, now, false, revertAt),
				current.after(changes, command.context(), version, now, revertAt));
	}

	/**
	 * @param outcome what the change did, or {@code null} when its precondition did not hold
	 * @param changed the flags after a stored change, or {@code null} when nothing was stored
	 */
	private record Applied(FlagChangeOutcome outcome, FlagSnapshot changed) {
	}

	/**
	 * Checks one value as a change would.
	 * @return the value in the flag's canonical type
	 * @throws InvalidFlagChangeException if the flag is unknown or the value invalid
	 */
	public Object validate(String flag, Object value) {
		return this.registry.accept(Map.of(flag, value)).get(flag);
	}

	/**
	 * Records and announces an action on a flag that does not itself change its value, such as
	 * the start or end of a ramp.
	 * @param countsForGuard whether the loop guard counts it, and so may refuse it
	 * @return the audit entry's id
	 * @throws ChangeRateExceededException if the guard refuses it
	 */
	public String record(String flag, Object from, Object to, ChangeType type, ChangeContext context,
			Map<String, String> details, boolean countsForGuard) {
		if (!this.writeLock.isHeldByCurrentThread()) {
			return underLock((current) -> record(flag, from, to, type, context, details, countsForGuard));
		}
		String auditId = UUID.randomUUID().toString();
		Instant now = now();
		if (countsForGuard) {
			this.guard.check(List.of(flag), context.caller(), now);
		}
		ChangeRecord.FlagChangeRow row = new ChangeRecord.FlagChangeRow(auditId, flag, FlagValues.literal(from),
				FlagValues.literal(to));
		this.store.write(new ChangeRecord(now, false, type.remediationType(), countsForGuard, context.reason(),
				context.problemId(), context.triggeredBy(), context.caller(), context.remoteAddress(),
				this.eventPolicy.initialStatus(), null, details, List.of(row)));
		// Announced when the transaction it joined has committed.
		this.recordedUnderLock.add(auditId);
		return auditId;
	}

	/**
	 * Runs work in one transaction that holds the write lock and the flags' row lock, the lock
	 * that orders every change in every replica, with the flags as they are then. Changes and
	 * {@link #record records} made by the work join that transaction, so they and the work are
	 * stored together or not at all.
	 */
	public <T> T underLock(Function<FlagSnapshot, T> work) {
		return locked(work, (result) -> {
		});
	}

	/**
	 * The one way anything is written: under the write lock and the flags' row lock, with the
	 * flags another replica stored read first; {@code committed} runs once the transaction has
	 * committed, still under the lock, and the audit entries recorded meanwhile are announced
	 * after it is released, so the event sender finds them.
	 */
	private <T> T locked(Function<FlagSnapshot, T> work, Consumer<T> committed) {
		T result;
		List<String> recorded;
		this.writeLock.lock();
		try {
			try {
				result = this.store.underLock(snapshot().version(), (stored) -> {
					stored.ifPresent((flags) -> advance(snapshotOf(flags)));
					return work.apply(snapshot());
				});
				committed.accept(result);
			}
			finally {
				recorded = (this.writeLock.getHoldCount() == 1) ? List.copyOf(this.recordedUnderLock) : List.of();
				if (this.writeLock.getHoldCount() == 1) {
					this.recordedUnderLock.clear();
				}
			}
		}
		finally {
			this.writeLock.unlock();
		}
		recorded.forEach((auditId) -> this.publisher.publishEvent(new ChangeRecorded(auditId)));
		return result;
	}

	/**
	 * Reads the flags again when the database is ahead, as it is after another replica changed
	 * them, and tells the listeners.
	 */
	@EventListener(DatabaseChanged.class)
	public void refresh() {
		if (this.store.version() > snapshot().version()) {
			reload();
		}
	}

	private void reload() {
		boolean advanced;
		this.writeLock.lock();
		try {
			advanced = advance(load());
		}
		finally {
			this.writeLock.unlock();
		}
		if (advanced) {
			this.publisher.publishEvent(new FlagsReloaded(snapshot()));
		}
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

}
