package io.bizobs.remediation;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The service's background scheduler, for a test that builds the service's parts by hand.
 */
public final class TestScheduler implements AutoCloseable {

	private final Background background;

	public TestScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(4);
		scheduler.setWaitForTasksToCompleteOnShutdown(true);
		this.background = new Background(scheduler);
	}

	public Background background() {
		return this.background;
	}

	@Override
	public void close() {
		this.background.destroy();
	}

}
