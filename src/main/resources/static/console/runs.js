// Runbook runs: the open ones with their step under way and the time left to its verdict, the
// recent ended ones with how they ended, a stop button, and starting a runbook by hand.

import { call } from './api.js';
import { countdown, el, time, timeElement, value } from './format.js';

const STATE = {
  RUNNING: 'running',
  VERIFIED: 'verified: a step healed the problem',
  ESCALATED: 'escalated: people are needed',
  SUPERSEDED: 'superseded: someone else changed its flags',
  STOPPED: 'stopped',
};

/** A run still holds its flags while it runs, and after a verdict until it has restored them. */
function open(run) {
  return run.state === 'RUNNING' || (run.state === 'VERIFIED' && !run.restoredAt);
}

function flagsInWords(flags) {
  return Object.entries(flags).map(([flag, v]) => `${flag}=${value(v)}`).join(', ');
}

/**
 * @param {{mayChangeAll: (flags: string[]) => boolean, tell: (message: string, kind?: string) => void,
 *   onChanged: () => void}} callbacks
 */
export function createRuns({ mayChangeAll, tell, onChanged }) {
  const list = document.getElementById('run-list');
  const status = document.getElementById('runs-status');
  const form = document.getElementById('run-form');
  const runbookSelect = document.getElementById('run-runbook');
  const problem = document.getElementById('run-problem');
  const reason = document.getElementById('run-reason');
  const preview = document.getElementById('run-preview');
  const start = document.getElementById('run-start');
  const error = document.getElementById('run-error');
  let runbooks = [];
  let runs = [];
  /** The request the preview was made for: starting sends exactly it, nothing typed since. */
  let previewed = null;
  /** The runs whose stop is being asked for, with the reason typed so far: kept across redraws. */
  const stopping = new Map();

  function runbookFlags(name) {
    const runbook = runbooks.find((candidate) => candidate.name === name);
    return runbook ? [...new Set(runbook.steps.flatMap((step) => Object.keys(step.flags)))] : [];
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function forget() {
    previewed = null;
    start.disabled = true;
    preview.replaceChildren();
  }

  function step(run, entry) {
    const current = run.state === 'RUNNING' && entry.step === run.step;
    let what;
    if (entry.verdict) {
      what = `${entry.verdict}${entry.action ? `: ${entry.action}` : ''}`;
    } else if (entry.note) {
      what = entry.note;
    } else if (entry.appliedAt && current) {
      what = ['watching: verdict in ', el('span', { class: 'countdown', 'data-until': entry.deadline },
        countdown(new Date(entry.deadline) - Date.now())), ` (by ${time(entry.deadline)})`];
    } else if (!entry.appliedAt) {
      what = 'not applied';
    } else {
      what = entry.guardState ? entry.guardState.toLowerCase() : '';
    }
    return el('li', { class: `run-step${current ? ' current' : ''}`, 'data-step': entry.step,
      'data-verdict': entry.verdict || null },
    el('strong', {}, entry.name), ` (${flagsInWords(entry.flags)}): `, what);
  }

  function stopControls(run) {
    if (!open(run) || !mayChangeAll(runbookFlags(run.runbook))) {
      return null;
    }
    const asked = stopping.has(run.id);
    const why = el('input', { class: 'run-stop-reason', maxlength: '1000', placeholder: 'Reason (optional)',
      'aria-label': `Reason to stop the run of ${run.runbook} for ${run.problemId}` });
    why.value = stopping.get(run.id) || '';
    const confirm = el('button', { type: 'button', class: 'danger run-stop-confirm' }, 'Stop run');
    const ask = el('button', { type: 'button', class: 'run-stop', hidden: asked }, 'Stop…');
    const controls = el('div', { class: 'run-stop-controls', hidden: !asked }, why, confirm);
    ask.addEventListener('click', () => {
      stopping.set(run.id, '');
      controls.hidden = false;
      ask.hidden = true;
      why.focus();
    });
    why.addEventListener('input', () => stopping.set(run.id, why.value));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      stopping.delete(run.id);
      try {
        const answer = await call('POST', `/api/remediation/runs/${encodeURIComponent(run.id)}/stop`,
          { body: why.value.trim() ? { reason: why.value.trim() } : {} });
        tell(`Run of ${run.runbook} for ${run.problemId} stopped: ${answer.run.outcome || answer.run.restored}. `
          + 'The flags stay as they are.', 'ok');
      } catch (ex) {
        tell(ex.message);
      }
      onChanged();
    });
    return el('div', { class: 'run-actions' }, ask, controls);
  }

  function item(run) {
    const outcome = run.state === 'RUNNING' ? `step ${run.step} of ${run.steps}` : run.outcome;
    return el('li', { class: `run ${open(run) ? 'open' : 'ended'}`, 'data-run-id': run.id, 'data-state': run.state },
      el('div', { class: 'run-head' },
        el('strong', {}, run.runbook), ' ',
        el('span', { class: 'problem' }, `problem ${run.problemId}`), ' ',
        el('span', { class: `run-state ${run.state.toLowerCase()}`, 'data-role': 'state', title: STATE[run.state] }, run.state)),
      el('div', { class: 'run-body' },
        'started ', timeElement(run.startedAt), ` by ${run.caller} (${run.triggeredBy})`,
        run.reason ? el('q', {}, run.reason) : null,
        outcome ? el('span', { 'data-role': 'outcome' }, outcome) : null,
        run.restored ? el('span', {}, run.restored) : null),
      el('ol', { class: 'run-ladder' }, run.ladder.map((entry) => step(run, entry))),
      stopControls(run));
  }

  function renderRuns() {
    // A redraw must not take the reason being typed, nor the focus, from whoever is stopping a run.
    const focused = document.activeElement && document.activeElement.classList.contains('run-stop-reason')
      ? document.activeElement.closest('.run').dataset.runId : null;
    list.replaceChildren(...runs.map(item));
    if (focused) {
      const input = list.querySelector(`.run[data-run-id="${CSS.escape(focused)}"] .run-stop-reason`);
      if (input) {
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      }
    }
    const openRuns = runs.filter(open).length;
    status.textContent = runs.length === 0 ? 'No run yet: a Dynatrace workflow starts one for its problem, '
      + 'or start one below.'
      : `${openRuns} open, ${runs.length - openRuns} ended; the latest ${runs.length}, newest first.`;
  }

  function renderPreview(answer) {
    const run = answer.run;
    if (run.state !== 'DRY_RUN') {
      return [el('p', {}, `Problem ${run.problemId} has a run of ${run.runbook} already (${STATE[run.state] || run.state}): `
        + 'starting finds that run and starts nothing.')];
    }
    const changes = answer.firstStepChanges;
    return [
      el('p', {}, `Would start ${run.runbook} for problem ${run.problemId}. Step 1 would change `
        + `${changes.length ? changes.join(', ') : 'nothing (its flags are so already: the next step follows)'}.`),
      el('ol', {}, run.ladder.map((entry) => el('li', {}, `${entry.name}: ${flagsInWords(entry.flags)}`))),
      el('p', {}, 'Each step is judged by its guard; if none heals, the run escalates to people.'),
    ];
  }

  form.addEventListener('input', forget);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fail('');
    forget();
    const request = { problemId: problem.value.trim(), reason: reason.value.trim(), triggeredBy: 'manual' };
    if (!request.problemId || !request.reason) {
      fail('A problem id and a reason are required.');
      return;
    }
    try {
      const answer = await call('POST', `/api/remediation/runbooks/${encodeURIComponent(runbookSelect.value)}/runs`,
        { body: { ...request, dryRun: true } });
      preview.replaceChildren(...renderPreview(answer));
      previewed = { runbook: runbookSelect.value, body: request };
      start.disabled = false;
    } catch (ex) {
      fail(ex.message);
    }
  });
  start.addEventListener('click', async () => {
    if (!previewed) {
      return;
    }
    const { runbook, body } = previewed;
    forget();
    try {
      const answer = await call('POST', `/api/remediation/runbooks/${encodeURIComponent(runbook)}/runs`, { body });
      tell(answer.started ? `Run of ${runbook} for problem ${body.problemId} started: step 1 is applied now.`
        : `Problem ${body.problemId} has a run of ${runbook} already (${answer.run.state}): nothing new started.`, 'ok');
      reason.value = '';
    } catch (ex) {
      fail(ex.message);
    }
    onChanged();
  });

  const runsPanel = {
    /** Reads the runbooks once, and the recent runs each time. */
    async load() {
      if (runbooks.length === 0) {
        runbooks = (await call('GET', '/api/remediation/runbooks')).runbooks;
        runbookSelect.replaceChildren(...runbooks.map((runbook) => el('option', { value: runbook.name },
          `${runbook.name}: ${runbook.description}`)));
      }
      runs = (await call('GET', '/api/remediation/runs?limit=10')).runs;
      renderRuns();
    },

    /** Who may start: only a caller allowed every flag of the runbook chosen. */
    setAccess() {
      const allowed = runbooks.length > 0 && mayChangeAll(runbookFlags(runbookSelect.value));
      form.querySelectorAll('input, select, button[type="submit"]').forEach((field) => {
        field.disabled = !allowed && field !== runbookSelect;
      });
      if (!allowed) {
        forget();
      }
      renderRuns();
    },

    /** Whether a run is under way, and the runs should be read again soon. */
    hasOpen: () => runs.some(open),

    /** Moves the countdowns on, once a second. */
    tick() {
      list.querySelectorAll('.countdown').forEach((span) => {
        span.textContent = countdown(new Date(span.dataset.until) - Date.now());
      });
    },
  };
  runbookSelect.addEventListener('change', () => runsPanel.setAccess());
  return runsPanel;
}
