package io.bizobs.remediation.flags;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlagRegistryTests {

	@Test
	void withoutConfigurationTheGuidesSevenFlagsAreDeclared() {
		FlagRegistry registry = new FlagRegistry(new FlagProperties(null));
		assertThat(registry.names()).containsExactly("errorInjectionEnabled", "slowResponsesEnabled",
				"circuitBreakerEnabled", "rateLimitingEnabled", "cacheEnabled", "canaryTrafficPercent", "errorRate");
		assertThat(registry.find("errorRate").get().defaultValue()).isEqualTo(0.12);
	}

	@Test
	void namesAreMatchedExactly() {
		FlagRegistry registry = new FlagRegistry(new FlagProperties(null));
		assertThat(registry.find("ErrorInjectionEnabled")).isEmpty();
		assertThat(registry.find("__proto__")).isEmpty();
		assertThat(registry.find("toString")).isEmpty();
	}

	@Test
	void configurationChangesOnlyTheFieldsItGivesOfABuiltInFlag() {
		FlagRegistry registry = new FlagRegistry(new FlagProperties(Map.of("canaryTrafficPercent",
				new FlagProperties.Declaration(null, "10", null, 20.0, null, null))));
		FlagDefinition canary = registry.find("canaryTrafficPercent").get();
		assertThat(canary.defaultValue()).isEqualTo(10L);
		assertThat(canary.min()).isEqualTo(0.0);
		assertThat(canary.max()).isEqualTo(20.0);
		assertThat(canary.description()).contains("canary");
	}

	@Test
	void configurationDeclaresNewFlagsAfterTheBuiltInOnes() {
		FlagRegistry registry = new FlagRegistry(new FlagProperties(Map.of("checkoutV2Enabled",
				new FlagProperties.Declaration(FlagType.BOOLEAN, "false", null, null, "New checkout", null))));
		assertThat(registry.names()).endsWith("checkoutV2Enabled");
		assertThat(registry.find("checkoutV2Enabled").get().defaultValue()).isEqualTo(false);
	}

	@Test
	void newFlagWithoutTypeOrDefaultStopsStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FlagRegistry(new FlagProperties(
					Map.of("orphan", new FlagProperties.Declaration(null, "true", null, null, null, null)))))
			.withMessageContaining("'orphan'");
	}

	@Test
	void defaultThatIsNotOfTheFlagsTypeStopsStartUp() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FlagRegistry(new FlagProperties(
					Map.of("cacheEnabled", new FlagProperties.Declaration(null, "yes", null, null, null, null)))))
			.withMessageContaining("Default of flag 'cacheEnabled' is not a boolean");
	}

}
