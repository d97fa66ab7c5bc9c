// The operator console: wires the panels to the API and to the change stream.

import { call, key } from './api.js';
import { createChangeDialog } from './change.js';
import { renderDynatrace } from './dynatrace.js';
import { createFlags } from './flags.js';
import { value } from './format.js';
import { renderLoop } from './loop.js';
import { createRuns } from './runs.js';
import { createScenarios } from './scenarios.js';
import { follow } from './stream.js';
import { createTimeline } from './timeline.js';

// The change of the shipped runbooks' defensive-mode step (GET /api/remediation/runbooks), so
// that an operator's defensive mode is the one Dynatrace's runs would make.
const DEFENSIVE_MODE = { errorInjectionEnabled: false, slowResponsesEnabled: false, circuitBreakerEnabled: true };

const notice = document.getElementById('notice');
const live = document.getElementById('live');
const liveText = document.getElementById('live-text');
const keyStatus = document.getElementById('key-status');
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('key-input');
const keyForget = document.getElementById('key-forget');
const defensive = document.getElementById('defensive');
const testEvent = document.getElementById('test-event');
const testEventResult = document.getElementById('test-event-result');

/** Who the key makes this page: {name, mayWrite, flags}, or null while unknown. */
let caller = null;
/** The service wants a key even to read, and this tab has none it accepts. */
let readsRefused = false;
/** Why the access is not known, when the service answered but not with it. */
let accessProblem = null;
/** Whether anything read with a key was shown, which must go when the key does. */
let shown = false;
let stream = null;
let version = -1;
let pendingEvents = 0;

/** Says something in the notice; a read's failure is cleared by the next read that works. */
function tell(message, kind = 'error') {
  notice.textContent = message;
  notice.dataset.kind = kind;
  notice.hidden = !message;
}

function mayChange(flag) {
  return Boolean(caller && caller.mayWrite && (caller.flags.length === 0 || caller.flags.includes(flag)));
}

/**
 * A read that runs at most once at a time and at most once per gap: asked again while it runs,
 * it runs once more after, with what is then current.
 */
function loader(load, gapMs = 0) {
  let running = false;
  let again = false;
  let timer = null;
  let lastStart = 0;
  async function run() {
    timer = null;
    running = true;
    again = false;
    lastStart = Date.now();
    try {
      await load();
      if (notice.dataset.kind === 'read') {
        tell('');
      }
    } catch (ex) {
      if (ex.status === 401) {
        checkAccess();
      } else {
        tell(`Could not read from the service: ${ex.message}`, 'read');
      }
    } finally {
      running = false;
      if (again) {
        request();
      }
    }
  }
  function request() {
    if (readsRefused) {
      return;
    }
    if (running) {
      again = true;
    } else if (timer === null) {
      timer = setTimeout(run, Math.max(0, lastStart + gapMs - Date.now()));
    }
  }
  return request;
}

const flags = createFlags(document.getElementById('flag-list'), {
  propose: (flag, newValue) => dialog.open(`Change ${flag.name}`, { [flag.name]: newValue }, false),
  stopRamp: async () => {
    try {
      const answer = await call('DELETE', '/api/remediation/error-rate');
      tell(`Ramp stopped: errorRate stays at ${value(answer.errorRate)}.`, 'ok');
    } catch (ex) {
      tell(ex.message);
    }
    loadRamp();
  },
});

const dialog = createChangeDialog({
  onApplied: (changes, answer) => {
    const events = changes.map((change) => `${change.flag}: ${change.event ? change.event.status : 'NONE'}`
      + (change.event && change.event.detail ? ` (${change.event.detail})` : ''));
    tell(changes.length === 0 ? 'Nothing changed: the flags already had these values.'
      : `Applied as version ${answer.version}: `
        + changes.map((change) => `${change.flag} ${value(change.previousValue)} → ${value(change.newValue)}`).join(', ')
        + `. Dynatrace event: ${events.join(', ')}.`, 'ok');
    loadAll();
  },
});

const timeline = createTimeline(() => loadAudit());

const runs = createRuns({
  mayChangeAll: (names) => names.every(mayChange),
  tell,
  onChanged: () => loadAll(),
});

const scenarios = createScenarios({
  mayChangeAll: (names) => names.every(mayChange),
  tell,
  onChanged: () => loadAll(),
});

/** The answer of GET /api/console/flags. */
function showFlags(answer) {
  flags.render(answer.flags);
  flags.setAccess(mayChange);
  timeline.setFlags(answer.flags.map((flag) => flag.name));
}

const loadFlags = loader(async () => {
  const answer = await call('GET', '/api/console/flags');
  shown = true;
  showFlags(answer);
});
const loadRamp = loader(async () => flags.setRamp((await call('GET', '/api/remediation/error-rate')).ramp));
// A running ramp moves errorRate twice a second; the audit, the chart and the Dynatrace panel
// need not follow each step.
const loadAudit = loader(async () => timeline.render(await call('GET', timeline.query())), 500);
let loop = null;
/** As often as the service samples, and at most once a second. */
let loopEvery = 5000;
const loadLoop = loader(async () => {
  loop = await call('GET', '/api/console/loop');
  loopEvery = Math.max(1000, loop.sampleIntervalMillis);
  renderLoop(loop);
}, 1000);
const loadRuns = loader(async () => {
  await runs.load();
  runs.setAccess();
}, 1000);
const loadScenarios = loader(async () => {
  await scenarios.load();
  scenarios.setAccess();
});
const loadDynatrace = loader(async () => {
  const status = await call('GET', '/api/remediation/events/status');
  pendingEvents = status.pending;
  renderDynatrace(status);
}, 1000);

function loadAll() {
  loadFlags();
  loadRamp();
  loadAudit();
  loadLoop();
  loadRuns();
  loadScenarios();
  loadDynatrace();
}

function onFlags(flagsDocument) {
  shown = true;
  // The values at once; who changed them and why follow from the reads.
  flags.applyValues(flagsDocument.flags);
  if (flagsDocument.version !== version) {
    version = flagsDocument.version;
    loadAll();
  }
}

function onLiveState(state, why) {
  if (state === 'live') {
    // Whatever happened while the stream was away, the first event after it makes all be read again.
    version = -1;
    if (!caller) {
      // The service answers again (after an outage, or a lock-out for wrong keys): ask who this is.
      checkAccess();
    }
  }
  live.dataset.state = state;
  liveText.textContent = {
    live: 'Live',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    refused: 'Not live',
  }[state] + (why ? `: ${why}` : '');
}

function restartStream() {
  if (stream) {
    stream.stop();
  }
  onLiveState('connecting');
  stream = follow(onFlags, onLiveState);
  // Read now, not only once the stream is up: a stream refused (too many open) must not leave the page empty.
  loadAll();
}

async function checkAccess() {
  const asked = key.get();
  try {
    caller = await call('GET', '/api/console/caller');
    readsRefused = false;
    accessProblem = null;
  } catch (ex) {
    caller = null;
    accessProblem = ex.status ? ex.message : null;
    if (ex.status === 401 && asked) {
      // The key this tab held is refused (mistyped, or rotated): forget it and say so, once, however
      // many reads made with it were refused meanwhile.
      if (key.get() === asked) {
        key.clear();
        tell(ex.message);
      }
      await checkAccess();
      return;
    }
    readsRefused = ex.status === 401;
    if (readsRefused && shown) {
      // What a key let this tab read must not stay on screen without it: start afresh.
      window.location.reload();
      return;
    }
    if (!readsRefused) {
      tell(ex.message, 'read');
    }
  }
  showAccess();
}

function showAccess() {
  const named = caller && key.get();
  if (readsRefused) {
    keyStatus.textContent = 'This service needs a key even to read: enter one to see the flags.';
  } else if (!caller) {
    keyStatus.textContent = `Access unknown: ${accessProblem || 'the service cannot be reached.'}`;
  } else if (named) {
    keyStatus.textContent = caller.mayWrite
      ? `Key “${caller.name}”: may change ${caller.flags.length ? caller.flags.join(', ') : 'every flag'}.`
      : `Key “${caller.name}” may read but not change anything.`;
  } else {
    keyStatus.textContent = caller.mayWrite
      ? 'No key needed: no keys are configured, and this browser is on the service\'s own host.'
      : 'Read-only: without a key you can watch, not change. Enter a key to make changes.';
  }
  document.body.dataset.access = caller && caller.mayWrite ? 'write' : 'read-only';
  keyForm.hidden = Boolean(named);
  keyForget.hidden = !named;
  flags.setAccess(mayChange);
  defensive.disabled = !Object.keys(DEFENSIVE_MODE).every(mayChange);
  runs.setAccess();
  scenarios.setAccess();
  testEvent.disabled = !(caller && caller.mayWrite);
}

keyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const typed = keyInput.value.trim();
  if (!typed) {
    return;
  }
  keyInput.value = '';
  tell('');
  key.set(typed);
  await checkAccess();
  if (key.get()) {
    tell(`Key accepted: ${keyStatus.textContent}`, 'ok');
    restartStream();
    // The form is gone with the key given: the focus goes to what now stands in its place.
    keyForget.focus();
  }
});

keyForget.addEventListener('click', async () => {
  key.clear();
  tell('Key forgotten: this tab no longer holds one.', 'ok');
  await checkAccess();
  restartStream();
  keyInput.focus();
});

defensive.addEventListener('click', () => dialog.open('Defensive mode', DEFENSIVE_MODE, true));

testEvent.addEventListener('click', async () => {
  testEvent.disabled = true;
  testEventResult.textContent = 'Sending a test event…';
  try {
    const answer = await call('POST', '/api/remediation/events/test');
    testEventResult.textContent = `Dynatrace accepted the test event (correlation id ${answer.correlationId}).`;
  } catch (ex) {
    testEventResult.textContent = ex.message;
  } finally {
    testEvent.disabled = !(caller && caller.mayWrite);
    loadDynatrace();
  }
});

setInterval(() => {
  flags.tick();
  runs.tick();
}, 1000);
// A verdict that keeps the change changes no flag: while a run is open, look again, and once
// more after the last one ended, since its verdict may have come between the two reads before.
let runsWereOpen = false;
setInterval(() => {
  const open = runs.hasOpen();
  if (open || runsWereOpen) {
    loadRuns();
    loadAudit();
  }
  runsWereOpen = open;
}, 2000);
// Deliveries change no flag, so the stream does not tell of them: while one is under way, look again.
setInterval(() => {
  if (timeline.hasPending() || pendingEvents > 0) {
    loadAudit();
    loadDynatrace();
  }
}, 1500);
setInterval(loadDynatrace, 10000);
// A run started elsewhere whose first step changed nothing comes without a flag change.
setInterval(loadRuns, 10000);
window.addEventListener('resize', () => {
  if (loop) {
    renderLoop(loop);
  }
});

// The page came with the flags where they may be read without a key: shown before anything is read.
const firstPaint = document.getElementById('first-paint');
if (firstPaint) {
  showFlags(JSON.parse(firstPaint.textContent));
}
await checkAccess();
restartStream();
(function followTheLoop() {
  loadLoop();
  setTimeout(followTheLoop, loopEvery);
}());
