package io.bizobs.remediation.flags.api;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.WebConnection;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * A change stream's connection once its response has begun. An open request keeps its parser,
 * its request and response objects and their buffers, about 70 KB of heap a stream; so once the
 * stream's headers are out, Tomcat hands the socket to this (an upgrade that keeps the 200 already
 * sent) and takes the request back, and a stream holds little more than its socket's buffers.
 * Nothing here waits: a write takes what the socket takes now and keeps the rest, and a stream
 * with a write still pending is sent nothing more until it drains. Public with a public
 * constructor: Tomcat creates it by reflection.
 */
public final class StreamConnection implements InternalHttpUpgradeHandler {

	/** Bytes of events the kernel holds for a stream (Linux doubles it): a hundred or so. */
	private static final int SEND_BUFFER = 16 * 1024;

	/** What a reader may send after its request before its stream ends. */
	private static final int MAX_RECEIVED = 8 * 1024;

	private final ReentrantLock writing = new ReentrantLock();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile SocketWrapperBase<?> socket;

	private Listener listener;

	/** Bytes the reader sent after its request; only touched on Tomcat's thread for this socket. */
	private int received;

	public StreamConnection() {
	}

	/**
	 * Takes over the connection of a request whose response is committed, once the request's
	 * handling returns.
	 */
	static StreamConnection takeOver(HttpServletRequest request, Listener listener)
			throws IOException, ServletException {
		StreamConnection connection = request.upgrade(StreamConnection.class);
		connection.listener = listener;
		return connection;
	}

	@Override
	public void setSocketWrapper(SocketWrapperBase<?> wrapper) {
		if (wrapper.getSocket() instanceof NioChannel channel) {
			try {
				// Left to itself the kernel lets a reader that stopped reading hold megabytes of
				// events; this bounds what waits for it, and so when it counts as backed up.
				channel.getIOChannel().setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
			}
			catch (IOException ex) {
				// Closed already: the first write finds out.
			}
		}
		this.socket = wrapper;
	}

	@Override
	public void init(WebConnection connection) {
		// Closed while Tomcat was handing the socket over: the next dispatch answers CLOSED.
		if (!this.closed.get()) {
			this.listener.opened();
		}
	}

	/**
	 * Writes an event unless the last one is still on its way.
	 * @return whether it was written; when not, {@link Listener#drained} follows once the stream
	 * can take more, unless it closed
	 */
	boolean send(byte[] event) {
		SocketWrapperBase<?> socket = this.socket;
		if (socket == null || this.closed.get()) {
			return false;
		}
		this.writing.lock();
		try {
			if (socket.hasDataToWrite()) {
				return false;
			}
			socket.write(false, event, 0, event.length);
			if (socket.flush(false)) {
				socket.registerWriteInterest();
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			// Closed below, once this lock is let go: Tomcat's threads take the socket's lock first.
		}
		finally {
			this.writing.unlock();
		}
		close();
		return false;
	}

	/** Whether an event written earlier has not all reached the socket yet. */
	boolean backedUp() {
		SocketWrapperBase<?> socket = this.socket;
		return socket != null && !socket.isClosed() && socket.hasDataToWrite();
	}

	/** Closes the connection, as Tomcat closes one, under its lock. */
	void close() {
		if (this.closed.compareAndSet(false, true)) {
			SocketWrapperBase<?> socket = this.socket;
			if (socket != null) {
				socket.getLock().lock();
				try {
					socket.close();
				}
				finally {
					socket.getLock().unlock();
				}
			}
			this.listener.closed();
		}
	}

	@Override
	public SocketState upgradeDispatch(SocketEvent event) {
		if (this.closed.get()) {
			return SocketState.CLOSED;
		}
		return switch (event) {
			case OPEN_READ -> read();
			case OPEN_WRITE -> drain();
			default -> closed();
		};
	}

	/**
	 * A reader sends nothing after its request: what it sends is dropped, up to a pipelined
	 * request's worth, and more, or its end, ends the stream.
	 */
	private SocketState read() {
		ByteBuffer ignored = ByteBuffer.allocate(1024);
		try {
			int read;
			while ((read = this.socket.read(false, ignored)) > 0) {
				this.received += read;
				if (this.received > MAX_RECEIVED) {
					return closed();
				}
				ignored.clear();
			}
			return SocketState.UPGRADED;
		}
		catch (IOException ex) {
			return closed();
		}
	}

	private SocketState drain() {
		boolean pending;
		this.writing.lock();
		try {
			pending = this.socket.flush(false);
			if (pending) {
				this.socket.registerWriteInterest();
			}
		}
		catch (IOException ex) {
			return closed();
		}
		finally {
			this.writing.unlock();
		}
		if (!pending) {
			this.listener.drained();
		}
		return SocketState.UPGRADED;
	}

	/** Tomcat closes the socket on this answer. */
	private SocketState closed() {
		if (this.closed.compareAndSet(false, true)) {
			this.listener.closed();
		}
		return SocketState.CLOSED;
	}

	@Override
	public void destroy() {
		closed();
	}

	@Override
	public void timeoutAsync(long now) {
		// The stream's own heartbeats find readers that went away.
	}

	@Override
	public void setSslSupport(SSLSupport sslSupport) {
	}

	@Override
	public void pause() {
	}

	/** What the stream learns of its connection; called on Tomcat's threads. */
	interface Listener {

		/** The connection is taken over and may be sent events. */
		void opened();

		/** An event that was backed up has all reached the socket. */
		void drained();

		/** The connection ended, from either side; called once. */
		void closed();

	}

}
