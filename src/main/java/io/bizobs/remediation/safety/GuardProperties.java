package io.bizobs.remediation.safety;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The loop guard, {@code remediation.guard.*}.
 *
 * @param maxChanges how many changes of one flag the window allows
 * @param window the sliding window
 */
@ConfigurationProperties("remediation.guard")
@Validated
public record GuardProperties(@DefaultValue("6") @Min(1) int maxChanges, @DefaultValue("10m") Duration window) {
}
