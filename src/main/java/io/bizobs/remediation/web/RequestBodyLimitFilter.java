package io.bizobs.remediation.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
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
 * {@code remediation.requests.body-timeout} with 408. A request thread never waits on a client
 * that trickles its body: there are only a few of them (application.yml), and a handful of slow
 * clients would otherwise hold them all. The problems are rendered by the same advice as every
 * other error.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	static final DataSize MAX_BODY = DataSize.ofKilobytes(64);

	private final HandlerExceptionResolver exceptionResolver;

	private final Duration bodyTimeout;

	RequestBodyLimitFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver,
			RequestProperties properties) {
		this.exceptionResolver = exceptionResolver;
		this.bodyTimeout = properties.bodyTimeout();
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
		byte[] body;
		try {
			body = read(request.getInputStream(), (int) limit + 1, System.nanoTime() + this.bodyTimeout.toNanos());
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
		if (body.length > limit) {
			reject(request, response, HttpStatus.CONTENT_TOO_LARGE,
					"The request body is larger than " + MAX_BODY.toKilobytes() + " KiB");
			return;
		}
		chain.doFilter(new BufferedBodyRequest(request, body), response);
	}

	/** Reads at most {@code max} bytes; each read waits at most the connection time-out, so the deadline holds within it. */
	private static byte[] read(InputStream in, int max, long deadline) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int read;
		while (body.size() < max && (read = in.read(buffer, 0, Math.min(buffer.length, max - body.size()))) != -1) {
			body.write(buffer, 0, read);
			if (System.nanoTime() - deadline > 0) {
				throw new BodyTimeoutException();
			}
		}
		return body.toByteArray();
	}

	private void reject(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
			String detail) throws IOException {
		ErrorResponseException refusal = new ErrorResponseException(status,
				ApiExceptionHandler.problem(status, detail), null);
		// The connection is closed so the client's unread remainder is not taken as a next request,
		// and the answer goes out now: Tomcat would otherwise read that remainder first
		// (server.tomcat.max-swallow-size: 0 makes it close instead).
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
