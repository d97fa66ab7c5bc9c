package io.bizobs.remediation.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiKeyAuthenticationProviderTests {

	private Instant now = Instant.parse("2026-11-28T10:00:00Z");

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return ApiKeyAuthenticationProviderTests.this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	};

	private final ApiKeyProperties.FailedAttempts limits = new ApiKeyProperties.FailedAttempts(3, 5,
			Duration.ofMinutes(1));

	private final ApiKeyAuthenticationProvider provider = new ApiKeyAuthenticationProvider(
			new ApiKeys(new ApiKeyProperties("full-access-key",
					List.of(new ApiKeyProperties.Key("dashboard", "read-key", null, null, null)), false, null,
					this.limits, null)),
			new FailedKeyAttempts(this.limits, this.clock, new SimpleMeterRegistry()));

	@Test
	void keyIsTheCallerNamedInTheConfiguration() {
		Authentication authentication = this.provider.authenticate(CallerAuthentication.presented("read-key", "10.0.0.1"));

		assertThat(authentication.isAuthenticated()).isTrue();
		assertThat(authentication.getName()).isEqualTo("dashboard");
		assertThat(authentication.getCredentials()).isNull();
		assertThat(authentication.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_READ", "ROLE_KEY");
	}

	@Test
	void namedScopedKeysComeFromEnvironmentVariablesAsTheContainerIsConfigured() {
		// As docs/deployment.md shows them for the workflows' key; the flags keep their case in a value.
		Map<String, Object> environment = Map.of("REMEDIATION_SECURITY_KEYS_0_NAME", "self-healing-workflow",
				"REMEDIATION_SECURITY_KEYS_0_KEYSHA256",
				"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				"REMEDIATION_SECURITY_KEYS_0_ACCESS", "write", "REMEDIATION_SECURITY_KEYS_0_FLAGS",
				"errorInjectionEnabled,slowResponsesEnabled,circuitBreakerEnabled,cacheEnabled",
				"REMEDIATION_SECURITY_KEYS_1_NAME", "dashboard", "REMEDIATION_SECURITY_KEYS_1_KEY", "read-key");
		ApiKeyProperties properties = new Binder(
				ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment)))
			.bindOrCreate("remediation.security", ApiKeyProperties.class);
		ApiKeyAuthenticationProvider fromEnvironment = new ApiKeyAuthenticationProvider(new ApiKeys(properties),
				new FailedKeyAttempts(this.limits, this.clock, new SimpleMeterRegistry()));

		// The key whose SHA-256 is given above is "test".
		Authentication workflow = fromEnvironment.authenticate(CallerAuthentication.presented("test", "10.0.0.1"));
		assertThat(workflow.getName()).isEqualTo("self-healing-workflow");
		assertThat((Caller) workflow.getPrincipal()).satisfies((caller) -> {
			assertThat(caller.mayWrite()).isTrue();
			assertThat(caller.flags()).containsExactlyInAnyOrder("errorInjectionEnabled", "slowResponsesEnabled",
					"circuitBreakerEnabled", "cacheEnabled");
		});
		Authentication dashboard = fromEnvironment.authenticate(CallerAuthentication.presented("read-key", "10.0.0.1"));
		assertThat(((Caller) dashboard.getPrincipal()).mayWrite()).isFalse();
	}

	@Test
	void pastTheLimitAWrongKeyIsRefusedWithATimeToWaitWhileTheRightOneIsStillAccepted() {
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", "10.0.0.1"));
		}
		this.now = this.now.plusSeconds(20);

		assertThatExceptionOfType(FailedKeyAttempts.TooManyFailedKeysException.class)
			.isThrownBy(() -> authenticate("guess", "10.0.0.1"))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(40)));
		assertThat(authenticate("full-access-key", "10.0.0.1").getName()).isEqualTo("default");
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", "10.0.0.2"));

		this.now = this.now.plusSeconds(40);
		assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", "10.0.0.1"));
	}

	@Test
	void wrongKeysFromManyAddressesAreCountedTogether() {
		for (int i = 0; i < 5; i++) {
			String address = "10.0.1." + i;
			assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", address));
		}

		assertThatExceptionOfType(FailedKeyAttempts.TooManyFailedKeysException.class)
			.isThrownBy(() -> authenticate("guess", "10.0.1.99"))
			.withMessageContaining("from all clients");
		assertThat(authenticate("read-key", "10.0.1.99").getName()).isEqualTo("dashboard");
	}

	@Test
	void addressesOfOneIpv6NetworkCountAsOneClient() {
		for (int i = 1; i <= 3; i++) {
			String address = "2001:db8:0:1:0:0:0:" + i;
			assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", address));
		}

		assertThatExceptionOfType(FailedKeyAttempts.TooManyFailedKeysException.class)
			.isThrownBy(() -> authenticate("guess", "2001:db8:0:1:ffff:0:0:1"));
	}

	@Test
	void wrongKeysSpreadOverWindowsAreNeverRefusedForTheirNumber() {
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", "10.0.0.1"));
			assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> authenticate("guess", "10.0.0.1"));
			this.now = this.now.plusSeconds(61);
		}
		assertThat(authenticate("read-key", "10.0.0.1").getName()).isEqualTo("dashboard");
	}

	@Test
	void keyWithoutSecretOrWithAMalformedDigestStopsStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiKeys(new ApiKeyProperties(null,
				List.of(new ApiKeyProperties.Key("workflow", null, null, ApiKeyProperties.Access.WRITE, null)), false,
				null, null, null)));
		assertThatIllegalArgumentException().isThrownBy(() -> new ApiKeys(new ApiKeyProperties(null,
				List.of(new ApiKeyProperties.Key("workflow", null, "abc", ApiKeyProperties.Access.WRITE, null)), false,
				null, null, null)));
	}

	private Authentication authenticate(String key, String address) {
		return this.provider.authenticate(CallerAuthentication.presented(key, address));
	}

}
