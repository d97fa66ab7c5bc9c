package io.bizobs.remediation;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An executor of one daemon thread that starts when there is work and ends after a while
 * without, so it has nothing to shut down and costs nothing where it is never used. For short
 * tasks handed over by {@code CompletableFuture}s, so no request thread waits for them.
 */
public final class OnDemandThread {

	private static final long IDLE_SECONDS = 30;

	private OnDemandThread() {
	}

	public static Executor named(String name) {
		return new ThreadPoolExecutor(0, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

}
