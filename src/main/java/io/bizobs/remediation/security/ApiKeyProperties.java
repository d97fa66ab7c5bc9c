package io.bizobs.remediation.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call, {@code remediation.security.*}.
 *
 * @param apiKey one key with full access ({@code REMEDIATION_API_KEY}), named {@code default}
 * @param keys named keys with narrower rights
 * @param readsRequireKey whether reading flags, the audit, OFREP and the simulator needs a key too
 * @param openActuatorEndpoints the actuator endpoints anyone may read; the others need a key.
 * Health is always open, and shows its details only to a caller with a key.
 * @param failedAttempts how many wrong keys are answered 401 before further ones are answered 429
 * @param localHostNames with no key configured, names besides {@code localhost}, {@code 127.0.0.1}
 * and {@code [::1]} by which a caller on the service's own host may address it and still change
 * flags
 */
@ConfigurationProperties("remediation.security")
public record ApiKeyProperties(String apiKey, List<Key> keys, boolean readsRequireKey,
		@DefaultValue({ "health", "info", "prometheus" }) Set<String> openActuatorEndpoints,
		@DefaultValue FailedAttempts failedAttempts, List<String> localHostNames) {

	public ApiKeyProperties {
		keys = (keys != null) ? keys : List.of();
		openActuatorEndpoints = (openActuatorEndpoints != null) ? openActuatorEndpoints : Set.of();
		localHostNames = (localHostNames != null) ? localHostNames : List.of();
	}

	/**
	 * A named key.
	 *
	 * @param name shown in the audit and the log
	 * @param key the key itself, or
	 * @param keySha256 its SHA-256 in hex, so the plain key need not be in the configuration
	 * @param access {@code read} or {@code write}
	 * @param flags the flags a write key may change; empty means all
	 */
	public record Key(String name, String key, String keySha256, Access access, List<String> flags) {

		public Key {
			access = (access != null) ? access : Access.READ;
			flags = (flags != null) ? flags : List.of();
		}

	}

	/** What a key allows. */
	public enum Access {

		READ, WRITE

	}

	/**
	 * Slows down guessing: past {@code limit} wrong keys from one client, or {@code limit-in-all}
	 * from all clients, within {@code window}, a wrong key is refused with 429 and a time to wait
	 * until the window has passed. A valid key is never refused.
	 *
	 * @param limit wrong keys answered 401 per client (an address, an IPv6 /64) and window
	 * @param limitInAll wrong keys answered 401 from all clients together per window
	 * @param window how long they are counted
	 */
	public record FailedAttempts(@DefaultValue("10") int limit, @DefaultValue("100") int limitInAll,
			@DefaultValue("1m") Duration window) {
	}

}
