package io.bizobs.remediation;

import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The one scheduler all background work runs on ({@link Background}), sized and shut down by
 * {@code spring.task.scheduling.*}.
 */
@Configuration(proxyBeanMethods = false)
public class BackgroundConfiguration {

	@Bean
	ThreadPoolTaskScheduler taskScheduler(ThreadPoolTaskSchedulerBuilder builder) {
		ThreadPoolTaskScheduler scheduler = builder.build();
		// Loops stop in the lifecycle's stop phase, after the context-closed event, and their last
		// step still runs and reschedules nothing: the scheduler must not refuse it before then.
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

	@Bean
	Background background(TaskScheduler taskScheduler) {
		return new Background(taskScheduler);
	}

}
