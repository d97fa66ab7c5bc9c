package io.bizobs.remediation.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.bizobs.remediation.Background;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps what clients can hold of the server bounded, whoever they are. Tomcat bounds the time
 * between two bytes of a request ({@code connection-timeout}) and the number of connections
 * ({@code max-connections}), but not the time a whole request line and headers may take, and a
 * full server makes every newcomer wait for a slot: a few hundred clients sending a header byte
 * every few seconds once filled the heap, and a few thousand would hold every slot. So:
 * <ul>
 * <li>a request whose line and headers have not arrived within {@code header-timeout} of their
 * first byte loses its connection;</li>
 * <li>one client address holds at most {@code max-incomplete-per-client} such unfinished
 * requests; its oldest beyond that lose their connections;</li>
 * <li>when nine tenths of {@code max-connections} are open, a new connection makes room: the
 * oldest unfinished requests lose their connections first, then keep-alive ones that were idle
 * at the last check too, down to eight tenths. A request being served (a read, a change, a
 * stream, a journey) is never closed here: those have bounds of their own.</li>
 * </ul>
 * A connection is closed as Tomcat closes one itself, under its lock, so never while a request
 * thread works on it.
 */
final class ConnectionGuard implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionGuard.class);

	private final ConnectionProperties properties;

	private final Background background;

	private final MeterRegistry meters;

	private final Map<Reason, Counter> closed = new HashMap<>();

	private volatile AbstractEndpoint<?, ?> endpoint;

	/** The connections idle at the last check; guarded by {@code this}. */
	private Set<SocketWrapperBase<?>> idleBefore = Set.of();

	private volatile ScheduledFuture<?> sweeps;

	ConnectionGuard(ConnectionProperties properties, Background background, MeterRegistry meters) {
		this.properties = properties;
		this.background = background;
		this.meters = meters;
		for (Reason reason : Reason.values()) {
			this.closed.put(reason, Counter.builder("bizobs.connections.closed")
				.description("Connections the service closed to keep clients from holding it")
				.tag("reason", reason.tag)
				.register(meters));
		}
	}

	void watch(AbstractEndpoint<?, ?> endpoint) {
		this.endpoint = endpoint;
		Gauge.builder("bizobs.connections.open", endpoint, AbstractEndpoint::getConnectionCount)
			.description("Open connections")
			.register(this.meters);
	}

	/** A new connection is coming in: makes room for it when the server is nearly full. */
	void accepting() {
		AbstractEndpoint<?, ?> endpoint = this.endpoint;
		int max = endpoint.getMaxConnections();
		if (max > 0 && endpoint.getConnectionCount() >= max * 9L / 10) {
			sweep(max * 8L / 10);
		}
	}

	/**
	 * Closes the connections the rules above say must go.
	 * @param room how many connections may stay open, or -1 to keep all that the rules allow
	 */
	synchronized void sweep(long room) {
		AbstractEndpoint<?, ?> endpoint = this.endpoint;
		if (endpoint == null) {
			return;
		}
		long now = System.nanoTime();
		List<Unfinished> unfinished = new ArrayList<>();
		List<SocketWrapperBase<?>> idle = new ArrayList<>();
		for (SocketWrapperBase<?> connection : endpoint.getConnections()) {
			Object processor = connection.getCurrentProcessor();
			if (processor == null) {
				idle.add(connection);
			}
			else if (processor instanceof AbstractProcessor http && isUnfinished(http)) {
				unfinished.add(new Unfinished(connection, http.getRequest().getStartTimeNanos()));
			}
		}
		unfinished.sort(Comparator.comparingLong(Unfinished::startedAt));
		long open = endpoint.getConnectionCount();
		long headerTimeout = this.properties.headerTimeout().toNanos();
		Map<String, Integer> perClient = new HashMap<>();
		for (Unfinished request : unfinished) {
			perClient.merge(Clients.of(request.connection().getRemoteAddr()), 1, Integer::sum);
		}
		List<Unfinished> left = new ArrayList<>();
		for (Unfinished request : unfinished) {
			String client = Clients.of(request.connection().getRemoteAddr());
			if (now - request.startedAt() > headerTimeout) {
				open -= close(request.connection(), Reason.HEADER_TIMEOUT);
				perClient.merge(client, -1, Integer::sum);
			}
			else if (perClient.get(client) > this.properties.maxIncompletePerClient()) {
				open -= close(request.connection(), Reason.PER_CLIENT);
				perClient.merge(client, -1, Integer::sum);
			}
			else {
				left.add(request);
			}
		}
		if (room >= 0) {
			for (Unfinished request : left) {
				if (open <= room) {
					break;
				}
				open -= close(request.connection(), Reason.ROOM);
			}
			// Only those idle at the last check: a connection accepted since may not have reached
			// Tomcat's poller yet, nor sent its first request.
			for (SocketWrapperBase<?> connection : idle) {
				if (open <= room) {
					break;
				}
				if (this.idleBefore.contains(connection)) {
					open -= close(connection, Reason.ROOM);
				}
			}
		}
		Set<SocketWrapperBase<?>> stillIdle = Collections.newSetFromMap(new IdentityHashMap<>());
		idle.stream().filter((connection) -> !connection.isClosed()).forEach(stillIdle::add);
		this.idleBefore = stillIdle;
	}

	/**
	 * A request that holds its connection's processor while no request thread works on it, is not
	 * asynchronous and has read a first byte: its line or headers are still arriving. (Tomcat marks
	 * such a request's stage as ended between reads, so the stage alone does not tell.)
	 */
	private static boolean isUnfinished(AbstractProcessor processor) {
		Request request = processor.getRequest();
		int stage = request.getRequestProcessor().getStage();
		return !processor.isAsync() && !processor.isUpgrade() && request.getStartTimeNanos() >= 0
				&& (stage == Constants.STAGE_PARSE || stage == Constants.STAGE_PREPARE || stage == Constants.STAGE_ENDED);
	}

	/**
	 * Closes a connection unless a request thread holds it right now (then it is busy, not
	 * stalled, and the next check looks again).
	 * @return 1 if it was closed here, else 0
	 */
	private int close(SocketWrapperBase<?> connection, Reason reason) {
		ReentrantLock lock = connection.getLock();
		if (!lock.tryLock()) {
			return 0;
		}
		try {
			if (connection.isClosed()) {
				return 0;
			}
			connection.close();
		}
		finally {
			lock.unlock();
		}
		this.closed.get(reason).increment();
		logger.debug("Closed the connection of {}: {}", connection.getRemoteAddr(), reason.tag);
		return 1;
	}

	@Override
	public void start() {
		Duration interval = this.properties.sweepInterval();
		this.sweeps = this.background.every(interval, () -> sweep(-1));
	}

	@Override
	public void stop() {
		ScheduledFuture<?> sweeps = this.sweeps;
		if (sweeps != null) {
			sweeps.cancel(false);
		}
		this.sweeps = null;
	}

	@Override
	public boolean isRunning() {
		return this.sweeps != null;
	}

	private record Unfinished(SocketWrapperBase<?> connection, long startedAt) {
	}

	private enum Reason {

		HEADER_TIMEOUT("header_timeout"), PER_CLIENT("per_client"), ROOM("room");

		private final String tag;

		Reason(String tag) {
			this.tag = tag;
		}

	}

}
