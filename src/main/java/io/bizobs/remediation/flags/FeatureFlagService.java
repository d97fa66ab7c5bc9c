package io.bizobs.remediation.flags;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * and the audit-only records of a ramp or a guard's verdict alike, goes through one path
 * ({@link #write}): under the write lock and the flags' row lock, in one transaction. Writes made
 * within {@link #inOneTransaction} join its transaction, and what they make current and announce
 * waits until it has committed; the class is longer than most because that path's locking,
 * ordering and announcing are kept in one place, where they cannot drift apart.
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

	/**
	 * The flags as the transaction under way has them, its own changes included; what becomes
	 * current once it commits. Guarded by the write lock, {@code null} outside a transaction.
	 */
	private FlagSnapshot working;

	/** What the transaction under way announces once it has committed and the lock is released; guarded by the write lock. */
	private final List<Runnable> announcements = new ArrayList<>();

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
	 * before this method returns, unless it joined a transaction of {@link #inOneTransaction}.
	 * @throws InvalidFlagChangeException if any entry is unknown or invalid
	 * @throws VersionMismatchException if the expected version is not the current one
	 * @throws ChangeRateExceededException if the loop guard refuses the change (a dry run too)
	 */
	public FlagChangeOutcome change(FlagChangeCommand command) {
		return changeIf(command, (current) -> true).orElseThrow();
	}

	/**
	 * Applies a change if the precondition holds for the flags as they are when it holds the locks.
	 * @return the change, or empty when the precondition did not hold
	 */
	public Optional<FlagChangeOutcome> changeIf(FlagChangeCommand command, Predicate<FlagSnapshot> precondition) {
		Map<String, Object> accepted = this.registry.accept(command.values());
		Applied applied = write((current) -> store(command, accepted, precondition, current), (stored) -> {
			if (stored.after() != null) {
				if (command.type().audited()) {
					ChangeLog.log(stored.outcome(), command.context());
				}
				this.publisher.publishEvent(new FlagsChanged(stored.after(), command.type(), stored.outcome()));
			}
		});
		return Optional.ofNullable(applied.outcome());
	}

	/**
	 * Puts flags back to their values before the given changes, as one change, those whose revert is
	 * still pending: a newer change of a flag cancels its revert.
	 * @param version the version of those changes, or {@code null} where it is not known
	 * @param reverts the flags, each with the audit entry of the change whose revert is due
	 * @return the revert, or empty when none applies any more
	 */
	public Optional<FlagChangeOutcome> revert(Long version, Map<String, String> reverts, ChangeContext context) {
		FlagSnapshot now = snapshot();
		Map<String, Object> values = new LinkedHashMap<>();
		reverts.forEach((flag, auditId) -> {
			FlagState.PendingRevert pending = pendingRevert(now, flag, auditId);
			if (pending != null) {
				values.put(flag, pending.revertTo());
			}
		});
		if (values.isEmpty()) {
			return Optional.empty();
		}
		return changeIf(FlagChangeCommand.undoing(version, values, ChangeType.AUTO_REVERT, context), (current) -> values.keySet()
			.stream()
			.allMatch((flag) -> pendingRevert(current, flag, reverts.get(flag)) != null));
	}

	private static FlagState.PendingRevert pendingRevert(FlagSnapshot snapshot, String flag, String auditId) {
		FlagState state = snapshot.states().get(flag);
		FlagState.PendingRevert pending = (state != null) ? state.pendingRevert() : null;
		return (pending != null && pending.auditId().equals(auditId)) ? pending : null;
	}

	/**
	 * Stores a change, under the locks, if its precondition holds for the flags as they are then,
	 * and makes those flags the transaction's working ones.
	 */
	private Applied store(FlagChangeCommand command, Map<String, Object> accepted, Predicate<FlagSnapshot> precondition,
			FlagSnapshot current) {
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
		// A dry run answers what the change would get, the loop guard's refusal included.
		if (type.audited() && !type.reverts() && !changedFlags.isEmpty()) {
			this.guard.check(changedFlags, command.context().caller(), now);
		}
		if (command.dryRun() || changedFlags.isEmpty()) {
			return new Applied(new FlagChangeOutcome(planned, current.version(), now, command.dryRun(), revertAt),
					null);
		}
		EventStatus eventStatus = type.audited() ? this.eventPolicy.initialStatus() : EventStatus.NONE;
		List<FlagChange> changes = ChangeRecords.withEntries(planned, type, eventStatus);
		long version = this.store.write(ChangeRecords.of(command, changes, eventStatus, now, revertAt));
		FlagChangeOutcome outcome = new FlagChangeOutcome(changes, version, now, false, revertAt);
		FlagSnapshot after = current.after(changes, command.context(), version, now, revertAt);
		this.working = after;
		if (command.attachment() != null) {
			command.attachment().store(outcome);
		}
		return new Applied(outcome, after);
	}

	/**
	 * @param outcome what the change did, or {@code null} when its precondition did not hold
	 * @param after the flags after a stored change, or {@code null} when nothing was stored
	 */
	private record Applied(FlagChangeOutcome outcome, FlagSnapshot after) {
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
	 * the start or end of a ramp, or a guard's verdict.
	 * @return the audit entry's id
	 * @throws ChangeRateExceededException if the guard refuses it
	 */
	public String record(Recorded recorded) {
		return write((current) -> {
			String auditId = UUID.randomUUID().toString();
			Instant now = now();
			if (recorded.countsForGuard()) {
				this.guard.check(List.of(recorded.flag()), recorded.context().caller(), now);
			}
			ChangeRecord.FlagChangeRow row = new ChangeRecord.FlagChangeRow(auditId, recorded.flag(),
					FlagValues.literal(recorded.from()), FlagValues.literal(recorded.to()));
			ChangeRecord.Builder record = ChangeRecord.at(now)
				.by(ChangeRecords.who(recorded.context()))
				.recordOnly(recorded.type().remediationType())
				.countsForGuard(recorded.countsForGuard())
				.event(this.eventPolicy.initialStatus())
				.details(recorded.details());
			if (recorded.commentOnProblem()) {
				record.commentOnProblem();
			}
			this.store.write(record.flags(List.of(row)));
			return auditId;
		}, (auditId) -> this.publisher.publishEvent(new ChangeRecorded(auditId)));
	}

	/**
	 * An action on a flag recorded without changing its value.
	 *
	 * @param flag the flag it is about
	 * @param from the value before, as the audit shows it
	 * @param to the value after
	 * @param type its kind
	 * @param context who and why
	 * @param details extra event properties
	 * @param countsForGuard whether the loop guard counts it, and so may refuse it
	 * @param commentOnProblem whether the context's problem also gets a comment in Dynatrace
	 */
	public record Recorded(String flag, Object from, Object to, ChangeType type, ChangeContext context,
			Map<String, String> details, boolean countsForGuard, boolean commentOnProblem) {
	}

	/**
	 * Runs work in one transaction that holds the write lock and the flags' row lock, the lock
	 * that orders every change in every replica, with the flags as they are then. Changes and
	 * records made by the work join that transaction, so they and the work are stored together or
	 * not at all, and none of them is served or announced before the transaction has committed.
	 */
	public <T> T inOneTransaction(Function<FlagSnapshot, T> work) {
		return write(work, (result) -> {
		});
	}

	/**
	 * The one way anything is written: under the write lock and the flags' row lock, with the flags
	 * another replica stored read first. The outermost write commits; a write within it joins its
	 * transaction and works on its working flags. Once the outermost has committed, its working
	 * flags become current, still under the lock, and after the lock is released every write's
	 * {@code announce} runs, in order, so listeners see only what is stored.
	 */
	private <T> T write(Function<FlagSnapshot, T> work, Consumer<T> announce) {
		List<Runnable> toAnnounce;
		T result;
		this.writeLock.lock();
		try {
			if (this.writeLock.getHoldCount() > 1) {
				T joined = work.apply(this.working);
				this.announcements.add(() -> announce.accept(joined));
				return joined;
			}
			try {
				result = this.store.underLock(snapshot().version(), (stored) -> {
					stored.ifPresent((flags) -> advance(snapshotOf(flags)));
					this.working = snapshot();
					return work.apply(this.working);
				});
				advance(this.working);
				T written = result;
				this.announcements.add(() -> announce.accept(written));
				toAnnounce = List.copyOf(this.announcements);
			}
			finally {
				this.working = null;
				this.announcements.clear();
			}
		}
		finally {
			this.writeLock.unlock();
		}
		toAnnounce.forEach(Runnable::run);
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
