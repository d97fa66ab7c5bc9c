package io.bizobs.remediation.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A request's API key, first as presented, with the address it came from, then, once matched,
 * as the {@link Caller} it belongs to; or a caller on the service's own host where no key is
 * configured. The key itself is never kept past authentication.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

	static final List<GrantedAuthority> READ = AuthorityUtils.createAuthorityList("ROLE_READ");

	static final List<GrantedAuthority> WRITE = AuthorityUtils.createAuthorityList("ROLE_READ", "ROLE_WRITE");

	private final Caller caller;

	private final String remoteAddress;

	private String key;

	private CallerAuthentication(Caller caller, String key, String remoteAddress) {
		super((caller == null) ? List.of() : caller.mayWrite() ? WRITE : READ);
		this.caller = caller;
		this.key = key;
		this.remoteAddress = remoteAddress;
		setAuthenticated(caller != null);
	}

	static CallerAuthentication presented(String key, String remoteAddress) {
		return new CallerAuthentication(null, key, remoteAddress);
	}

	static CallerAuthentication of(Caller caller, String remoteAddress) {
		return new CallerAuthentication(caller, null, remoteAddress);
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
