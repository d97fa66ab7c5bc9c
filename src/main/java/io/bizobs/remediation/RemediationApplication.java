package io.bizobs.remediation;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RemediationApplication {

	public static void main(String[] args) {
		SpringApplication.run(RemediationApplication.class, args);
	}

	/** Injected wherever time matters, so time-based rules can be tested without sleeping. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
