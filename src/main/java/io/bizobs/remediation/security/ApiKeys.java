package io.bizobs.remediation.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.util.StringUtils;

/**
 * The configured keys, kept only as SHA-256 digests.
 */
final class ApiKeys {

	private final List<ConfiguredKey> keys;

	ApiKeys(ApiKeyProperties properties) {
		List<ConfiguredKey> keys = new ArrayList<>();
		if (StringUtils.hasText(properties.apiKey())) {
			keys.add(new ConfiguredKey(sha256(properties.apiKey().trim()), new Caller("default", true, Set.of())));
		}
		for (ApiKeyProperties.Key key : properties.keys()) {
			if (!StringUtils.hasText(key.name())) {
				throw new IllegalArgumentException("Every key in remediation.security.keys needs a name");
			}
			keys.add(new ConfiguredKey(digest(key), new Caller(key.name(),
					key.access() == ApiKeyProperties.Access.WRITE, Set.copyOf(key.flags()))));
		}
		this.keys = List.copyOf(keys);
	}

	private static byte[] digest(ApiKeyProperties.Key key) {
		if (StringUtils.hasText(key.keySha256())) {
			try {
				byte[] digest = HexFormat.of().parseHex(key.keySha256().trim().toLowerCase());
				if (digest.length == 32) {
					return digest;
				}
			}
			catch (IllegalArgumentException ex) {
				// Reported below.
			}
			throw new IllegalArgumentException("key-sha256 of key '" + key.name() + "' is not 64 hex digits");
		}
		if (StringUtils.hasText(key.key())) {
			return sha256(key.key().trim());
		}
		throw new IllegalArgumentException("Key '" + key.name() + "' needs key or key-sha256");
	}

	boolean isEmpty() {
		return this.keys.isEmpty();
	}

	List<String> names() {
		return this.keys.stream().map((key) -> key.caller().name()).toList();
	}

	/** Compares against every key, so the time taken does not tell which one nearly matched. */
	Optional<Caller> match(String presented) {
		byte[] digest = sha256(presented);
		Caller found = null;
		for (ConfiguredKey key : this.keys) {
			if (MessageDigest.isEqual(digest, key.sha256()) && found == null) {
				found = key.caller();
			}
		}
		return Optional.ofNullable(found);
	}

	static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record ConfiguredKey(byte[] sha256, Caller caller) {
	}

}
