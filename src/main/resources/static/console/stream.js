// The change stream (GET /api/remediation/feature-flags/stream), read with fetch rather than
// EventSource: EventSource cannot send a header, and where reads need a key the key must go in
// one, never in the URL. Reconnects on its own, and says whether it is live.

import { describe, headers, key } from './api.js';

const PATH = '/api/remediation/feature-flags/stream';

/** The server sends a heartbeat every 5 s; this long without a byte means the connection is dead. */
const SILENCE_MS = 15000;

const FIRST_RETRY_MS = 1000;

const LAST_RETRY_MS = 10000;

/**
 * Follows the stream until stop() is called.
 * @param {(flags: object) => void} onFlags each `flags` event's document
 * @param {(state: string, why?: string) => void} onState 'live', 'reconnecting' or 'refused'
 */
export function follow(onFlags, onState) {
  let stopped = false;
  let controller = null;

  async function connectOnce() {
    controller = new AbortController();
    let watchdog = null;
    let live = false;
    const restartWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      restartWatchdog();
      const response = await fetch(PATH, {
        headers: headers('text/event-stream'),
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
      if (!response.ok) {
        let problem = null;
        try {
          problem = await response.json();
        } catch (ex) {
          // The status says enough.
        }
        return { status: response.status, problem, retryAfter: response.headers.get('Retry-After') };
      }
      live = true;
      onState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        restartWatchdog();
        const { value, done } = await reader.read();
        if (done) {
          return { status: 0, live };
        }
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end), onFlags);
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (ex) {
      // Aborted by the watchdog or by stop(), or the connection broke: try again.
      return { status: 0, live };
    } finally {
      clearTimeout(watchdog);
    }
  }

  async function run() {
    let delay = FIRST_RETRY_MS;
    while (!stopped) {
      const outcome = await connectOnce();
      if (stopped) {
        return;
      }
      if (outcome.status === 401 || outcome.status === 403) {
        // Retrying with the same key gets the same answer: wait for a new key (restart).
        onState('refused', outcome.status === 403 ? 'this key may not read'
          : key.get() ? 'the key is refused' : 'a key is needed to read');
        return;
      }
      if (outcome.live) {
        // It worked until now: the first retry comes soon again.
        delay = FIRST_RETRY_MS;
      }
      const wait = outcome.retryAfter ? Number(outcome.retryAfter) * 1000 : delay;
      onState('reconnecting', outcome.status === 429 ? describe(429, outcome.problem, outcome.retryAfter, false) : '');
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, LAST_RETRY_MS);
    }
  }

  run();
  return {
    stop() {
      stopped = true;
      if (controller) {
        controller.abort();
      }
    },
  };
}

/** One event block: `event:`, `data:` and `id:` lines; comments (heartbeats) start with a colon. */
function dispatch(block, onFlags) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      name = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  if (name === 'flags' && data.length > 0) {
    onFlags(JSON.parse(data.join('\n')));
  }
}
