package io.bizobs.remediation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 on a plain socket from a chosen address of the loopback range, as a hostile or a
 * distant client would send it: every byte as written, one request per connection.
 */
public final class RawHttp {

	private final int port;

	public RawHttp(int port) {
		this.port = port;
	}

	/** A connection from {@code from}, not yet sending anything. */
	public Socket connect(String from) throws IOException {
		Socket socket = new Socket();
		socket.bind(new InetSocketAddress(from, 0));
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** Sends a request with {@code Connection: close} and reads the whole answer. */
	public Answer send(String from, String method, String path, String headers, String body) throws IOException {
		try (Socket socket = connect(from)) {
			byte[] content = body.getBytes(StandardCharsets.UTF_8);
			String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
					+ (body.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
					+ "\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(content);
			socket.getOutputStream().flush();
			return Answer.read(socket.getInputStream());
		}
	}

	public Answer get(String from, String path, String headers) throws IOException {
		return send(from, "GET", path, headers, "");
	}

	/**
	 * POSTs to {@code path} declaring a body of 100 bytes and sends one every 200 ms, until the
	 * service answers or 20 s have passed.
	 * @return the answer as it came, or what came of it
	 */
	public String trickleABody(String from, String path) throws IOException {
		try (Socket socket = connect(from)) {
			socket.setSoTimeout(200);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			for (int i = 0; i < 99; i++) {
				try {
					socket.getInputStream().transferTo(answer);
					break;
				}
				catch (SocketTimeoutException ex) {
					if (answer.size() > 0) {
						break;
					}
				}
				try {
					out.write(' ');
					out.flush();
				}
				catch (IOException ex) {
					break;
				}
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

	/**
	 * An answer as it came.
	 *
	 * @param status the status code
	 * @param head the status line and headers
	 * @param body the body, de-chunked
	 */
	public record Answer(int status, String head, String body) {

		static Answer read(InputStream in) throws IOException {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			String text = all.toString(StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IOException("No complete answer: '" + text + "'");
			}
			String head = text.substring(0, end);
			String body = text.substring(end + 4);
			if (head.toLowerCase().contains("transfer-encoding: chunked")) {
				body = dechunk(body);
			}
			return new Answer(Integer.parseInt(head.split(" ")[1]), head, body);
		}

		private static String dechunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (at < chunked.length()) {
				int lineEnd = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
				if (size == 0) {
					break;
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
			return body.toString();
		}

		public boolean isProblem() {
			return this.head.toLowerCase().contains("content-type: application/problem+json")
					&& this.body.contains("\"ok\":false");
		}

	}

}
