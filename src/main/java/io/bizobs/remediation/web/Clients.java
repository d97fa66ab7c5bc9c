package io.bizobs.remediation.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who is on the other end of a request, as the limits on what one client may hold see it.
 */
public final class Clients {

	/**
	 * The role of a caller that presented a valid key: what a limit meant for strangers never
	 * holds against it.
	 */
	public static final String KEY_ROLE = "KEY";

	private Clients() {
	}

	/**
	 * The client behind a remote address, as every per-client limit counts it (connections,
	 * streams, wrong keys, journeys): an IPv4 address, or the /64 network of an IPv6 address,
	 * since one host is usually given a whole /64 and could otherwise count as billions of clients.
	 * @param remoteAddress the connection's address as the servlet container gives it, an IP
	 * literal
	 */
	public static String of(String remoteAddress) {
		if (remoteAddress == null || remoteAddress.indexOf(':') < 0) {
			return remoteAddress;
		}
		try {
			// A literal, so this never asks DNS.
			InetAddress address = InetAddress.getByName(remoteAddress);
			if (address instanceof Inet6Address) {
				byte[] network = address.getAddress();
				Arrays.fill(network, 8, 16, (byte) 0);
				return InetAddress.getByAddress(network).getHostAddress() + "/64";
			}
			return address.getHostAddress();
		}
		catch (UnknownHostException ex) {
			return remoteAddress;
		}
	}

	/**
	 * Whether the caller of a request presented a valid key. Known once Spring Security has
	 * authenticated the request, on the chains that wrap the request for the servlet API.
	 */
	public static boolean hasKey(HttpServletRequest request) {
		return request.isUserInRole(KEY_ROLE);
	}

	/**
	 * Whether the caller has a key or may change flags (with no key configured, the operator on
	 * the service's own host may): a limit meant for strangers does not hold against it.
	 */
	public static boolean isTrusted(HttpServletRequest request) {
		return hasKey(request) || request.isUserInRole("WRITE");
	}

}
