package io.bizobs.remediation;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The service's background scheduler, for a test that builds the service's parts by hand.
 */
public final class TestScheduler implements AutoCloseable {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	public TestScheduler() {
		this.scheduler.setPoolSize(4);
		this.scheduler.setWaitForTasksToCompleteOnShutdown(true);
		this.scheduler.initialize();
	}

	public Background background() {
		return new Background(this.scheduler);
	}

	@Override
	public void close() {
		this.scheduler.shutdown();
	}

}
