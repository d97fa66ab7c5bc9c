package io.bizobs.remediation.security;

import java.util.ArrayList;
import java.util.List;

import io.bizobs.remediation.web.Clients;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request's API key, first as presented, with the address it came from, then, once matched,
 * as the {@link Caller} it belongs to; or a caller on the service's own host where no key is
 * configured. The key itself is never kept past authentication.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

	static final List<GrantedAuthority> READ = AuthorityUtils.createAuthorityList("ROLE_READ");

	static final List<GrantedAuthority> WRITE = AuthorityUtils.createAuthorityList("ROLE_READ", "ROLE_WRITE");

	private static final GrantedAuthority KEY = new SimpleGrantedAuthority("ROLE_" + Clients.KEY_ROLE);

	private final Caller caller;

	private final String remoteAddress;

	private String key;

	private CallerAuthentication(Caller caller, String key, String remoteAddress, boolean keyed) {
		super(authorities(caller, keyed));
		this.caller = caller;
		this.key = key;
		this.remoteAddress = remoteAddress;
		setAuthenticated(caller != null);
	}

	private static List<GrantedAuthority> authorities(Caller caller, boolean keyed) {
		if (caller == null) {
			return List.of();
		}
		List<GrantedAuthority> authorities = new ArrayList<>(caller.mayWrite() ? WRITE : READ);
		if (keyed) {
			authorities.add(KEY);
		}
		return authorities;
	}

	static CallerAuthentication presented(String key, String remoteAddress) {
		return new CallerAuthentication(null, key, remoteAddress, false);
	}

	/** A caller whose key matched. */
	static CallerAuthentication keyed(Caller caller, String remoteAddress) {
		return new CallerAuthentication(caller, null, remoteAddress, true);
	}

	/** The operator on the service's own host, trusted without a key where none is configured. */
	static CallerAuthentication local(Caller caller, String remoteAddress) {
		return new CallerAuthentication(caller, null, remoteAddress, false);
	}

	String remoteAddress() {
		return this.remoteAddress;
	}

	@Override
	public Caller getPrincipal() {
		return this.caller;
	}

	@Override
	public String getCredentials() {
		return this.key;
	}

	@Override
	public String getName() {
		return (this.caller != null) ? this.caller.name() : "";
	}

	@Override
	public void eraseCredentials() {
		super.eraseCredentials();
		this.key = null;
	}

}
