package io.bizobs.remediation.web;

import java.nio.channels.SocketChannel;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketProperties;

/**
 * Tomcat's NIO connector, with a {@link ConnectionGuard} that sees every connection before Tomcat
 * takes it in, so that a full server makes room for a newcomer rather than leave it waiting for
 * a slot that slow clients hold. Public with a public constructor: Tomcat creates its connector's
 * protocol from the class's name.
 */
public class GuardedNioProtocol extends Http11NioProtocol {

	private final GuardedEndpoint endpoint;

	public GuardedNioProtocol() {
		this(new GuardedEndpoint());
	}

	private GuardedNioProtocol(GuardedEndpoint endpoint) {
		super(endpoint);
		this.endpoint = endpoint;
	}

	void guardWith(ConnectionGuard guard) {
		this.endpoint.guard = guard;
		guard.watch(this.endpoint);
	}

	SocketProperties socketProperties() {
		return this.endpoint.getSocketProperties();
	}

	private static final class GuardedEndpoint extends NioEndpoint {

		private volatile ConnectionGuard guard;

		/** On the acceptor's thread, for each new connection, which Tomcat has counted already. */
		@Override
		protected boolean setSocketOptions(SocketChannel socket) {
			ConnectionGuard guard = this.guard;
			if (guard != null) {
				guard.accepting();
			}
			return super.setSocketOptions(socket);
		}

	}

}
