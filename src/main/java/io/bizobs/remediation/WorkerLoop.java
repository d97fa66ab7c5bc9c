package io.bizobs.remediation;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop on a daemon thread of its own: it runs a step, waits as long as the step
 * asks or until it is woken, and again. It stops without an interrupt, because an interrupt in
 * the middle of an H2 write closes H2's file channel; a step under way finishes first.
 */
public final class WorkerLoop {

	private static final Logger logger = LoggerFactory.getLogger(WorkerLoop.class);

	private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

	private final String name;

	private final Duration stopTimeout;

	private final Supplier<Duration> step;

	private final Semaphore wakeUp = new Semaphore(0);

	private volatile Thread thread;

	/**
	 * @param name the thread's name
	 * @param stopTimeout how long {@link #stop()} waits for a step under way
	 * @param step does one round of work and returns how long to wait before the next
	 */
	public WorkerLoop(String name, Duration stopTimeout, Supplier<Duration> step) {
		this.name = name;
		this.stopTimeout = stopTimeout;
		this.step = step;
	}

	public void start() {
		Thread worker = new Thread(this::run, this.name);
		worker.setDaemon(true);
		this.thread = worker;
		worker.start();
	}

	public void stop() {
		Thread worker = this.thread;
		this.thread = null;
		if (worker != null) {
			this.wakeUp.release();
			try {
				worker.join(this.stopTimeout.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	public boolean isRunning() {
		return this.thread != null;
	}

	/** Whether the calling step should go on: false once {@link #stop()} was called. */
	public boolean shouldContinue() {
		return this.thread == Thread.currentThread();
	}

	/** Ends the current wait at once. */
	public void wake() {
		this.wakeUp.release();
	}

	private void run() {
		while (shouldContinue()) {
			Duration pause;
			try {
				pause = this.step.get();
			}
			catch (RuntimeException ex) {
				logger.warn("{} failed; trying again in {} s", this.name, AFTER_FAILURE.toSeconds(), ex);
				pause = AFTER_FAILURE;
			}
			try {
				this.wakeUp.tryAcquire(Math.max(1, pause.toMillis()), TimeUnit.MILLISECONDS);
				this.wakeUp.drainPermits();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
