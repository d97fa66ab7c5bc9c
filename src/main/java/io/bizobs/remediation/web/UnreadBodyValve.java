package io.bizobs.remediation.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Finishes a request answered before its body was read whole (refused before it was read: no key,
 * too large, too many arriving slowly) without waiting long for the client. What of the body
 * arrives within a moment is read and dropped, so that the connection can stay open; if more is
 * still to come, the connection is closed after the answer. Tomcat would wait for it on the request thread, up to the connection time-out, however
 * small {@code server.tomcat.max-swallow-size}: a few clients that declared a body and sent none
 * held every request thread, and no read was answered.
 */
final class UnreadBodyValve extends ValveBase {

	/** As long as {@link RequestBodyLimitFilter} gives a body to follow its headers. */
	private static final Duration ARRIVAL = RequestBodyLimitFilter.ARRIVAL;

	UnreadBodyValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		if (!request.isAsync() && hasBody(request) && !request.isFinished() && !readWhatHasArrived(request)) {
			request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
		}
	}

	private static boolean hasBody(Request request) {
		return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
	}

	/**
	 * Reads and drops what of the body arrives within {@link #ARRIVAL} of the answer, never
	 * blocking on the socket: a client that sends its headers and body in two writes has its body
	 * here a moment later, and one answered early (a 401 decided on the headers) must not lose its
	 * answer to the reset a close with its body unread would cause.
	 * @return whether that was all of it
	 */
	private static boolean readWhatHasArrived(Request request) {
		org.apache.coyote.Request coyote = request.getCoyoteRequest();
		byte[] dropped = new byte[8192];
		long deadline = System.nanoTime() + ARRIVAL.toNanos();
		try {
			InputStream body = request.getInputStream();
			while (!coyote.isFinished()) {
				coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
				int available = coyote.getAvailable();
				if (available > 0) {
					if (body.read(dropped, 0, Math.min(available, dropped.length)) < 0) {
						return true;
					}
				}
				else if (System.nanoTime() - deadline > 0) {
					return false;
				}
				else {
					Thread.sleep(2);
				}
			}
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			// Broken, or read as characters already: nothing more is read here.
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
