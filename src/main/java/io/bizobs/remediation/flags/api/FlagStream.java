package io.bizobs.remediation.flags.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.bizobs.remediation.Background;
import io.bizobs.remediation.flags.FeatureFlagService;
import io.bizobs.remediation.flags.FlagSnapshot;
import io.bizobs.remediation.flags.FlagsChanged;
import io.bizobs.remediation.flags.FlagsReloaded;
import io.bizobs.remediation.flags.PerVersion;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Server-sent events of the flags: the current flags on connect, then the flags whenever they
 * change, each the same document as {@code GET /feature-flags} with the version as the event
 * id. A change only marks the streams as due; one thread of their own then sends each reader the
 * flags as they are <em>then</em>, and only if their version is later than the last one that
 * reader got, so a reader sees versions only go forward (changes close together may come as one
 * event) and a slow reader never slows a change: nothing is written to a stream whose last event
 * is still on its way, it gets the flags of the moment once it drains, and it is dropped if it
 * has not by the next heartbeat. A heartbeat comment every {@code remediation.stream.heartbeat}
 * finds readers that went away, and the number of open streams is capped, per client and in all,
 * with slots shared fairly ({@link #open}). Once its headers are sent, a stream's connection is
 * taken off the request ({@link StreamConnection}), so that it holds no request buffers.
 */
@Component
class FlagStream implements SmartLifecycle {

	private final FeatureFlagService flags;

	private final FlagsDocument document;

	private final PerVersion<Frames> frames = new PerVersion<>(this::render);

	private final StreamProperties properties;

	private final Set<Reader> readers = ConcurrentHashMap.newKeySet();

	/** The streams of each client without a key, oldest first; guarded by {@code slots}. */
	private final Map<String, Deque<Reader>> anonymous = new HashMap<>();

	/** Guards taking and giving back slots. */
	private final Object slots = new Object();

	/** Set when the flags changed and not every reader has been sent them yet. */
	private final AtomicBoolean due = new AtomicBoolean();

	private final Background background;

	/** One send at a time, in order, so that a reader never gets an older version after a newer one. */
	private final Executor sender;

	private final Timer fanOut;

	private volatile ScheduledFuture<?> heartbeats;

	private volatile boolean running;

	FlagStream(FeatureFlagService flags, FlagsDocument document, StreamProperties properties, MeterRegistry meters,
			Background background) {
		this.flags = flags;
		this.background = background;
		this.sender = background.serial();
		this.document = document;
		this.properties = properties;
		Gauge.builder("bizobs.stream.open", this.readers, Set::size)
			.description("Open change streams (GET /api/remediation/feature-flags/stream)")
			.register(meters);
		this.fanOut = Timer.builder("bizobs.stream.fanout")
			.description("How long one change took to be written to every open change stream")
			.register(meters);
	}

	/**
	 * Opens a stream for a reader: its headers now, its events once the connection is taken over.
	 * When every slot is taken, a newcomer takes one from the client holding the most (its oldest
	 * stream ends, and its reader reconnects), as long as that client would still hold more than
	 * the newcomer: no set of clients can keep another out by filling the slots. A caller with a
	 * key takes a slot from the clients without one whenever they hold any, and is never displaced
	 * by them.
	 * @param client the reader's client ({@code Clients.of} its address)
	 * @param keyed whether the reader presented a valid key
	 * @throws TooManyStreamsException if the client has as many open as one may, or no slot can be had
	 */
	void open(String client, boolean keyed, Format format, HttpServletRequest request, HttpServletResponse response)
			throws IOException, ServletException {
		Reader reader = new Reader(keyed ? null : client, format, System.nanoTime());
		Reader displaced;
		synchronized (this.slots) {
			int held = (reader.client != null) ? held(reader.client) : -1;
			if (held >= this.properties.maxStreamsPerAddress()) {
				throw new TooManyStreamsException(client + " has " + this.properties.maxStreamsPerAddress()
						+ " change streams open, as many as one address may", this.properties.heartbeat());
			}
			displaced = (this.readers.size() < this.properties.maxStreams()) ? null : displaceableFor(held);
			if (this.readers.size() >= this.properties.maxStreams() && displaced == null) {
				throw new TooManyStreamsException("The service has " + this.properties.maxStreams()
						+ " change streams open, as many as it allows; poll GET /api/remediation/feature-flags meanwhile",
						this.properties.heartbeat());
			}
			if (displaced != null) {
				release(displaced);
			}
			this.readers.add(reader);
			if (reader.client != null) {
				this.anonymous.computeIfAbsent(reader.client, (key) -> new ArrayDeque<>()).addLast(reader);
			}
		}
		if (displaced != null) {
			displaced.end();
		}
		try {
			response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
			// The body ends with the connection: no chunks to frame on a connection handed over.
			response.setHeader(HttpHeaders.CONNECTION, "close");
			response.flushBuffer();
			reader.connection = StreamConnection.takeOver(request, reader);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			release(reader);
			throw ex;
		}
	}

	/** Streams a client without a key holds. */
	private int held(String client) {
		Deque<Reader> streams = this.anonymous.get(client);
		return (streams != null) ? streams.size() : 0;
	}

	/**
	 * The oldest stream of the client without a key that holds the most, if it holds more than one
	 * beyond what the newcomer's client holds; a newcomer with a key ({@code held} of -1) may
	 * displace any such stream.
	 */
	private Reader displaceableFor(int held) {
		Deque<Reader> most = null;
		for (Deque<Reader> streams : this.anonymous.values()) {
			if (most == null || streams.size() > most.size()) {
				most = streams;
			}
		}
		return (most != null && most.size() > held + 1) ? most.peekFirst() : null;
	}

	@EventListener({ FlagsChanged.class, FlagsReloaded.class })
	void onChange() {
		// Many changes in a row make one round of sending, of the latest flags.
		if (this.running && this.due.compareAndSet(false, true)) {
			this.sender.execute(() -> {
				this.due.set(false);
				this.fanOut.record(() -> this.readers.forEach(this::sendCurrent));
			});
		}
	}

	private void sendCurrent(Reader reader) {
		FlagSnapshot snapshot = this.flags.snapshot();
		StreamConnection connection = reader.connection;
		if (connection == null || snapshot.version() <= reader.lastSent) {
			return;
		}
		Frames frames = this.frames.of(snapshot);
		if (connection.send((reader.format == Format.OFREP) ? frames.ofrep() : frames.flags())) {
			reader.lastSent = snapshot.version();
		}
	}

	/**
	 * A version's events, whole, in both formats: written to every reader as they are, one write
	 * each, rather than built and converted part by part for each reader again.
	 */
	private Frames render(FlagSnapshot snapshot) {
		FlagsDocument.Rendered rendered = this.document.of(snapshot);
		String head = "id:" + snapshot.version() + "\nretry:1000\n";
		// OFREP's event: an unnamed ("message") event telling the provider to fetch again.
		byte[] ofrep = (head + "data:{\"type\":\"refetchEvaluation\",\"etag\":\""
				+ rendered.etag().replace("\"", "\\\"") + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
		byte[] start = (head + "event:flags\ndata:").getBytes(StandardCharsets.UTF_8);
		byte[] flags = new byte[start.length + rendered.json().length + 2];
		System.arraycopy(start, 0, flags, 0, start.length);
		System.arraycopy(rendered.json(), 0, flags, start.length, rendered.json().length);
		flags[flags.length - 2] = '\n';
		flags[flags.length - 1] = '\n';
		return new Frames(flags, ofrep);
	}

	private record Frames(byte[] flags, byte[] ofrep) {
	}

	private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

	/**
	 * Ends the streams whose reader has not taken the last event since the last heartbeat, whose
	 * connection was never handed over, or that are older than the time-out; writes a heartbeat to
	 * the others.
	 */
	private void heartbeat() {
		long now = System.nanoTime();
		long heartbeat = this.properties.heartbeat().toNanos();
		for (Reader reader : this.readers) {
			StreamConnection connection = reader.connection;
			boolean backedUp = connection != null && connection.backedUp();
			if ((connection == null && now - reader.openedAt > heartbeat) || (backedUp && reader.backedUp)
					|| now - reader.openedAt > this.properties.timeout().toNanos()) {
				reader.end();
			}
			else if (connection != null && !backedUp) {
				connection.send(HEARTBEAT);
			}
			reader.backedUp = backedUp;
		}
	}

	private void release(Reader reader) {
		synchronized (this.slots) {
			if (reader.released.compareAndSet(false, true)) {
				this.readers.remove(reader);
				Deque<Reader> streams = (reader.client != null) ? this.anonymous.get(reader.client) : null;
				if (streams != null) {
					streams.remove(reader);
					if (streams.isEmpty()) {
						this.anonymous.remove(reader.client);
					}
				}
			}
		}
	}

	@Override
	public void start() {
		this.heartbeats = this.background.every(this.properties.heartbeat(), () -> this.sender.execute(this::heartbeat));
		this.running = true;
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise wait
	 * for these never-ending requests.
	 */
	@Override
	public void stop() {
		this.running = false;
		ScheduledFuture<?> heartbeats = this.heartbeats;
		if (heartbeats != null) {
			heartbeats.cancel(false);
		}
		this.readers.forEach(Reader::end);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/** What a stream sends. */
	enum Format {

		/** Events named {@code flags} with the flags document. */
		FLAGS,

		/**
		 * OFREP's change notification: {@code {"type":"refetchEvaluation","etag":…}}, the ETag of
		 * the bulk evaluation.
		 */
		OFREP

	}

	/**
	 * One open stream; {@code lastSent} and {@code backedUp} are only touched by the sender, one
	 * task at a time.
	 */
	private final class Reader implements StreamConnection.Listener {

		/** The client, or {@code null} for a caller with a key. */
		private final String client;

		private final Format format;

		private final long openedAt;

		private final AtomicBoolean released = new AtomicBoolean();

		/** Set once the response is committed and the connection taken over. */
		private volatile StreamConnection connection;

		private long lastSent = -1;

		/** Whether an event was still on its way at the last heartbeat. */
		private boolean backedUp;

		private Reader(String client, Format format, long openedAt) {
			this.client = client;
			this.format = format;
			this.openedAt = openedAt;
		}

		@Override
		public void opened() {
			if (this.released.get()) {
				// Ended (displaced, or at shutdown) while its headers were on their way.
				this.connection.close();
			}
			else {
				FlagStream.this.sender.execute(() -> sendCurrent(this));
			}
		}

		@Override
		public void drained() {
			FlagStream.this.sender.execute(() -> sendCurrent(this));
		}

		@Override
		public void closed() {
			release(this);
		}

		/** Ends the stream: its reader reconnects (or, at shutdown, goes elsewhere). */
		void end() {
			release(this);
			StreamConnection connection = this.connection;
			if (connection != null) {
				connection.close();
			}
		}

	}

}
