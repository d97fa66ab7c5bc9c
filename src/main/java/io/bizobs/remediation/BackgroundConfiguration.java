package io.bizobs.remediation;

import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one scheduler all background work runs on ({@link Background}), sized and shut down by
 * {@code spring.task.scheduling.*}.
 */
@Configuration(proxyBeanMethods = false)
public class BackgroundConfiguration {

	@Bean
	Background background(ThreadPoolTaskSchedulerBuilder builder) {
		return new Background(builder.build());
	}

}
