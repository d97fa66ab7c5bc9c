package io.bizobs.remediation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * All the service's background work, on one Spring {@link ThreadPoolTaskScheduler}: loops that wake
 * on demand, tasks after a delay, and tasks that must run one at a time. Nothing here
 * interrupts a task: an interrupt in the middle of an H2 write closes H2's file channel, so a
 * stopping loop lets its step finish, and the scheduler waits for running tasks when the
 * service stops ({@code spring.task.scheduling.shutdown} in {@code application.yml}).
 */
public class Background implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(Background.class);

	private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

	private final ThreadPoolTaskScheduler scheduler;

	/**
	 * Starts the scheduler, which is this class's alone: as a bean of its own, Spring would pause
	 * it in the lifecycle's stop phase, beside loops that still need it to finish their step, and
	 * its parked threads would then hold up the shutdown for the whole await-termination period.
	 * @param scheduler configured, not yet initialized
	 */
	public Background(ThreadPoolTaskScheduler scheduler) {
		this.scheduler = scheduler;
		scheduler.initialize();
	}

	/** After every loop has stopped: lets the tasks under way finish, interrupting none. */
	@Override
	public void destroy() {
		this.scheduler.shutdown();
	}

	/**
	 * A loop that runs a step, waits as long as the step asks or until it is woken, and again.
	 * @param name names the loop in the log
	 * @param stopTimeout how long {@link Loop#stop()} waits for a step under way
	 * @param step does one round of work and returns how long to wait before the next
	 */
	public Loop loop(String name, Duration stopTimeout, Supplier<Duration> step) {
		return new Loop(name, stopTimeout, step);
	}

	/** Runs each task once, the given time after it is handed over. */
	public Executor after(Duration delay) {
		return (task) -> this.scheduler.schedule(task, this.scheduler.getClock().instant().plus(delay));
	}

	/** Runs the tasks handed over one at a time, in the order they came. */
	public Executor serial() {
		return new Serial();
	}

	/** Runs a task again and again, the given time after each run ends, until it is cancelled. */
	public ScheduledFuture<?> every(Duration delay, Runnable task) {
		return this.scheduler.scheduleWithFixedDelay(task, this.scheduler.getClock().instant().plus(delay), delay);
	}

	/**
	 * A component whose work is one {@link Loop}: the loop starts and stops with the application.
	 * A component that starts it only when enabled overrides {@link #start()}.
	 */
	public interface LoopOwner extends SmartLifecycle {

		/** The component's loop. */
		Loop loop();

		@Override
		default void start() {
			loop().start();
		}

		@Override
		default void stop() {
			loop().stop();
		}

		@Override
		default boolean isRunning() {
			return loop().isRunning();
		}

	}

	/** A background loop; see {@link Background#loop}. */
	public final class Loop {

		private final String name;

		private final Duration stopTimeout;

		private final Supplier<Duration> step;

		/** Held while a step runs, so that stopping can wait for it. */
		private final ReentrantLock stepping = new ReentrantLock();

		private final Object schedule = new Object();

		private volatile boolean running;

		private volatile boolean stopped;

		/** The next step's start, while it waits; guarded by {@code schedule}. */
		private ScheduledFuture<?> next;

		/** Woken while a step ran: the next one starts at once; guarded by {@code schedule}. */
		private boolean woken;

		private Loop(String name, Duration stopTimeout, Supplier<Duration> step) {
			this.name = name;
			this.stopTimeout = stopTimeout;
			this.step = step;
		}

		public void start() {
			this.stopped = false;
			this.running = true;
			scheduleIn(Duration.ZERO);
		}

		/** Stops after the step under way, if any, and waits up to the stop time-out for it. */
		public void stop() {
			this.stopped = true;
			this.running = false;
			synchronized (this.schedule) {
				if (this.next != null) {
					this.next.cancel(false);
					this.next = null;
				}
			}
			try {
				if (this.stepping.tryLock(this.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
					this.stepping.unlock();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		public boolean isRunning() {
			return this.running;
		}

		/**
		 * Whether a step should go on: false once {@link #stop()} was called, and true before
		 * {@link #start()}, so that a step can also be taken by hand.
		 */
		public boolean shouldContinue() {
			return !this.stopped;
		}

		/** Ends the current wait at once, or makes the next step follow the running one at once. */
		public void wake() {
			synchronized (this.schedule) {
				if (this.next == null) {
					this.woken = true;
				}
				else if (this.next.cancel(false)) {
					this.next = null;
					scheduleIn(Duration.ZERO);
				}
			}
		}

		private void run() {
			synchronized (this.schedule) {
				this.next = null;
				this.woken = false;
			}
			Duration pause;
			this.stepping.lock();
			try {
				if (!this.running) {
					return;
				}
				pause = this.step.get();
			}
			catch (RuntimeException ex) {
				logger.warn("{} failed; trying again in {} s", this.name, AFTER_FAILURE.toSeconds(), ex);
				pause = AFTER_FAILURE;
			}
			finally {
				this.stepping.unlock();
			}
			synchronized (this.schedule) {
				scheduleIn(this.woken ? Duration.ZERO : pause);
			}
		}

		private void scheduleIn(Duration pause) {
			synchronized (this.schedule) {
				if (this.running && this.next == null) {
					this.next = Background.this.scheduler.schedule(this::run,
							Background.this.scheduler.getClock().instant().plus(pause.isNegative() ? Duration.ZERO : pause));
				}
			}
		}

	}

	/** Hands the tasks to the scheduler one at a time. */
	private final class Serial implements Executor {

		private final Queue<Runnable> tasks = new ArrayDeque<>();

		private boolean active;

		@Override
		public synchronized void execute(Runnable task) {
			this.tasks.add(task);
			if (!this.active) {
				this.active = true;
				Background.this.scheduler.schedule(this::runAll, Background.this.scheduler.getClock().instant());
			}
		}

		private void runAll() {
			Runnable task;
			while ((task = poll()) != null) {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("A background task failed", ex);
				}
			}
		}

		private synchronized Runnable poll() {
			Runnable task = this.tasks.poll();
			if (task == null) {
				this.active = false;
			}
			return task;
		}

	}

}
