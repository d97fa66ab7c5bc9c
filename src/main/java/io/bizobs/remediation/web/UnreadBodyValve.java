package io.bizobs.remediation.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection of a request answered without its body read whole (refused before it was
 * read: no key, too large, too many arriving slowly), rather than let Tomcat read the rest first.
 * Tomcat does that on the request thread and waits for the client to send it, up to the
 * connection time-out, however small {@code server.tomcat.max-swallow-size}: a few clients that
 * declared a body and sent none held every request thread, and no read was answered.
 */
final class UnreadBodyValve extends ValveBase {

	UnreadBodyValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		if (!request.isAsync() && hasBody(request) && !request.isFinished()) {
			request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
		}
	}

	private static boolean hasBody(Request request) {
		return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
	}

}
