package io.bizobs.remediation.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

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
