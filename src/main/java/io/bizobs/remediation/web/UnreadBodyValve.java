package io.bizobs.remediation.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Finishes a request answered before its body was read whole (refused before it was read: no key,
 * too large, too many arriving slowly) without waiting for the client. What of the body has
 * arrived is read and dropped, so that the connection can stay open, or close without the client
 * losing the answer to a reset; if more is still to come, the connection is closed after the
 * answer. Tomcat would wait for it on the request thread, up to the connection time-out, however
 * small {@code server.tomcat.max-swallow-size}: a few clients that declared a body and sent none
 * held every request thread, and no read was answered.
 */
final class UnreadBodyValve extends ValveBase {

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

	/** Reads and drops what of the body has arrived, never waiting for more; whether that was all of it. */
	private static boolean readWhatHasArrived(Request request) {
		org.apache.coyote.Request coyote = request.getCoyoteRequest();
		byte[] dropped = new byte[8192];
		try {
			InputStream body = request.getInputStream();
			while (!coyote.isFinished()) {
				coyote.action(ActionCode.AVAILABLE, Boolean.TRUE);
				int available = coyote.getAvailable();
				if (available <= 0) {
					return false;
				}
				if (body.read(dropped, 0, Math.min(available, dropped.length)) < 0) {
					return true;
				}
			}
			return true;
		}
		catch (IOException | IllegalStateException ex) {
			// Broken, or read as characters already: nothing more is read here.
			return false;
		}
	}

}
