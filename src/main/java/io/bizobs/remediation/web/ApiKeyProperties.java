package io.bizobs.remediation.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call, {@code remediation.security.*}.
 *
 * @param apiKey one key with full access ({@code REMEDIATION_API_KEY}), named {@code default}
 * @param keys named keys with narrower rights
 * @param readsRequireKey whether reading flags and the audit needs a key too
 */
@ConfigurationProperties("remediation.security")
public record ApiKeyProperties(String apiKey, List<Key> keys, boolean readsRequireKey) {

	public ApiKeyProperties {
		keys = (keys != null) ? keys : List.of();
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

}
