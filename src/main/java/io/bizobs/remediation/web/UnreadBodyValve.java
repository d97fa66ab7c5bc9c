package io.bizobs.remediation.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Finishes a request answered before its body was read whole (refused before it was read: no key,
 * too large, too many arriving slowly) without waiting long for the client. What of the body
 * arrives within a moment is read and dropped, so that the connection can stay open; if more is
 * still to come, the connection is closed after the answer. Tomcat would wait for it on the
 * request thread, up to the connection time-out, however small
 * {@code server.tomcat.max-swallow-size}: a few clients that declared a body and sent none held
 * every request thread, and no read was answered.
 */
final class UnreadBodyValve extends ValveBase {

	/** As long as {@link RequestBodyLimitFilter} gives a body to follow its headers. */
	private static final Duration ARRIVAL = RequestBodyLimitFilter.ARRIVAL;

	/**
	 * Requests waiting at once for the rest of a refused body: beyond, a request only takes what
	 * has arrived, so that many clients refused at once hold no more than these threads.
	 */
	private final Semaphore waiting = new Semaphore(2);

	UnreadBodyValve() {
		super(true);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		getNext().invoke(request, response);
		if (!request.isAsync() && hasBody(request) && !request.isFinished() && !readWhatArrives(request)) {
			org.apache.coyote.Response answer = request.getCoyoteRequest().getResponse();
			boolean errorToReport = answer.isErrorReportRequired();
			request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
			if (!errorToReport) {
				// Tomcat counts the close as an error: unmarked, its error page would be rendered
				// over the answer already given, and its error report valve would cut that answer off.
				answer.setErrorReported();
			}
		}
	}

	private boolean readWhatArrives(Request request) {
		if (!this.waiting.tryAcquire()) {
			return readWhatHasArrived(request, Duration.ZERO);
		}
		try {
			return readWhatHasArrived(request, ARRIVAL);
		}
		finally {
			this.waiting.release();
		}
	}

	private static boolean hasBody(Request request) {
		return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
	}

	/**
	 * Reads and drops what of the body arrives within the given time, never blocking on the
	 * socket: a client that sends its headers and body in two writes has its body here a moment
	 * later, and one answered early (a 401 decided on the headers) must not lose its answer to the
	 * reset a close with its body unread would cause.
	 * @return whether that was all of it
	 */
	private static boolean readWhatHasArrived(Request request, Duration within) {
		org.apache.coyote.Request coyote = request.getCoyoteRequest();
		byte[] dropped = new byte[8192];
		long deadline = System.nanoTime() + within.toNanos();
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
