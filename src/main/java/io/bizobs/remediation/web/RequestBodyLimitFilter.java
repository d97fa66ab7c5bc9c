package io.bizobs.remediation.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Reads every request body whole before anything handles it, refusing one over 64 KiB with 413,
 * whether or not it declares its length, and one that has not fully arrived within
 * {@code remediation.requests.body-timeout} with 408. What arrives with the request, or within
 * 50 ms of it, is read without waiting on the socket. A body still arriving after that holds a
 * request thread while it does, and there are only a few of them (application.yml): callers that
 * neither have a key nor may write may hold {@code max-slow-bodies} of them at once,
 * {@code max-slow-bodies-per-client} from one client, and callers that do have a pool of their own
 * of {@code max-slow-bodies-trusted}. So a few clients trickling their bodies never hold every
 * thread, strangers never keep a caller with a key waiting, and the reads always keep a thread.
 * Runs after Spring Security, so a request it refuses is answered without its body being read at
 * all, and a caller's key is known. The problems are rendered by the same advice as every other
 * error.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	static final DataSize MAX_BODY = DataSize.ofKilobytes(64);

	/** How long a body may take to follow its headers before it counts as arriving slowly. */
	static final Duration ARRIVAL = Duration.ofMillis(50);

	private final HandlerExceptionResolver exceptionResolver;

	private final Duration bodyTimeout;

	private final RequestProperties properties;

	private final Semaphore slowBodies;

	private final Semaphore trustedSlowBodies;

	private final Map<String, Integer> slowBodiesPerClient = new ConcurrentHashMap<>();

	RequestBodyLimitFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
			RequestProperties properties) {
		this.exceptionResolver = exceptionResolver;
		this.bodyTimeout = properties.bodyTimeout();
		this.properties = properties;
		this.slowBodies = new Semaphore(properties.maxSlowBodies());
		this.trustedSlowBodies = new Semaphore(properties.maxSlowBodiesTrusted());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = MAX_BODY.toBytes();
		long declared = request.getContentLengthLong();
		if (declared > limit) {
			reject(request, response, HttpStatus.CONTENT_TOO_LARGE,
					"The request body is larger than " + MAX_BODY.toKilobytes() + " KiB");
			return;
		}
		if (declared <= 0 && request.getHeader("Transfer-Encoding") == null) {
			chain.doFilter(request, response);
			return;
		}
		int max = (int) limit + 1;
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		InputStream in = request.getInputStream();
		try {
			if (!arrives(in, body, max, declared)) {
				String client = Clients.isTrusted(request) ? null : Clients.of(request.getRemoteAddr());
				HttpStatus refused = startSlowBody(client);
				if (refused != null) {
					reject(request, response, refused, (refused == HttpStatus.TOO_MANY_REQUESTS)
							? "This client has " + this.properties.maxSlowBodiesPerClient()
									+ " request bodies arriving slowly already; send a body with its request"
							: "Too many request bodies are arriving slowly; send a body with its request, or try again");
					return;
				}
				try {
					read(in, body, max, System.nanoTime() + this.bodyTimeout.toNanos());
				}
				finally {
					endSlowBody(client);
				}
			}
		}
		catch (IOException ex) {
			// Past the deadline, or no byte within the connection time-out. A client that went away
			// has left a response that can no longer be written: nothing to tell it.
			if (response.isCommitted()) {
				return;
			}
			reject(request, response, HttpStatus.REQUEST_TIMEOUT,
					"The request body did not arrive within " + this.bodyTimeout.toSeconds() + " s");
			return;
		}
		if (body.size() > limit) {
			reject(request, response, HttpStatus.CONTENT_TOO_LARGE,
					"The request body is larger than " + MAX_BODY.toKilobytes() + " KiB");
			return;
		}
		chain.doFilter(new BufferedBodyRequest(request, body.toByteArray()), response);
	}

	/**
	 * Takes a place for a body that has to be waited for.
	 * @param client the client, or {@code null} for a caller with a key or that may write, which takes a
	 * place in a pool of their own
	 * @return {@code null} when taken, else the status of the refusal
	 */
	private HttpStatus startSlowBody(String client) {
		if (client == null) {
			return this.trustedSlowBodies.tryAcquire() ? null : HttpStatus.SERVICE_UNAVAILABLE;
		}
		AtomicBoolean taken = new AtomicBoolean();
		this.slowBodiesPerClient.compute(client, (key, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.properties.maxSlowBodiesPerClient()) {
				return count;
			}
			taken.set(true);
			return current + 1;
		});
		if (!taken.get()) {
			return HttpStatus.TOO_MANY_REQUESTS;
		}
		if (!this.slowBodies.tryAcquire()) {
			endSlowBody(client, false);
			return HttpStatus.SERVICE_UNAVAILABLE;
		}
		return null;
	}

	private void endSlowBody(String client) {
		endSlowBody(client, true);
	}

	private void endSlowBody(String client, boolean heldPlace) {
		if (client == null) {
			this.trustedSlowBodies.release();
			return;
		}
		if (heldPlace) {
			this.slowBodies.release();
		}
		this.slowBodiesPerClient.computeIfPresent(client, (key, count) -> (count <= 1) ? null : count - 1);
	}

	/**
	 * Reads what arrives within {@link #ARRIVAL}, never blocking on the socket: a client that sends
	 * its headers and body in two writes has its body here a moment after its headers.
	 * @return whether the whole declared body is in
	 */
	private static boolean arrives(InputStream in, ByteArrayOutputStream body, int max, long declared)
			throws IOException {
		long deadline = System.nanoTime() + ARRIVAL.toNanos();
		while (true) {
			readArrived(in, body, max);
			if (declared >= 0 && body.size() >= declared) {
				return true;
			}
			// A chunked body's end cannot be told without waiting for it.
			if (declared < 0 || System.nanoTime() - deadline > 0) {
				return false;
			}
			try {
				Thread.sleep(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
	}

	/** Reads what has arrived already, never waiting for more. */
	private static void readArrived(InputStream in, ByteArrayOutputStream body, int max) throws IOException {
		byte[] buffer = new byte[8192];
		while (body.size() < max && in.available() > 0) {
			int read = in.read(buffer, 0, Math.min(buffer.length, max - body.size()));
			if (read == -1) {
				return;
			}
			body.write(buffer, 0, read);
		}
	}

	/** Reads up to {@code max} bytes in all; each read waits at most the connection time-out, so the deadline holds within it. */
	private static void read(InputStream in, ByteArrayOutputStream body, int max, long deadline) throws IOException {
		byte[] buffer = new byte[8192];
		int read;
		while (body.size() < max && (read = in.read(buffer, 0, Math.min(buffer.length, max - body.size()))) != -1) {
			body.write(buffer, 0, read);
			if (System.nanoTime() - deadline > 0) {
				throw new BodyTimeoutException();
			}
		}
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String detail) throws IOException {
		ErrorResponseException refusal = new ErrorResponseException(status,
				ApiExceptionHandler.problem(status, detail), null);
		// The connection is closed so the client's unread remainder is not taken as a next request,
		// and the answer goes out now: Tomcat would otherwise read that remainder first
		// (UnreadBodyValve makes it close instead).
		response.setHeader("Connection", "close");
		this.exceptionResolver.resolveException(request, response, null, refusal);
		response.flushBuffer();
	}

	private static final class BodyTimeoutException extends IOException {

	}

	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException();
				}

			};
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
