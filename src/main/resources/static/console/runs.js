// Runbook runs: the open ones with their step under way and the time left to its verdict, the
// recent ended ones with how they ended, a stop button, and starting a runbook by hand.

import { call } from './api.js';
import { countdown, el, time, timeElement, value } from './format.js';
import { previewed } from './previewed.js';

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
  const access = document.getElementById('run-access');
  let runbooks = [];
  let runs = [];
  /** What the list shows, so that it is redrawn only when that changes: a redraw loses the pointer's target. */
  let shown = null;
  /** The runs whose stop is being asked for, with the reason typed so far: kept across redraws. */
  const stopping = new Map();

  function runbookFlags(name) {
    const runbook = runbooks.find((candidate) => candidate.name === name);
    return runbook ? [...new Set(runbook.steps.flatMap((step) => Object.keys(step.flags)))] : [];
  }

  function step(run, entry) {
    const current = run.state === 'RUNNING' && entry.step === run.step;
    let what;
    if (entry.verdict) {
      what = `${entry.verdict}${entry.action ? `: ${entry.action}` : ''}`;
    } else if (entry.appliedAt && current && entry.guardState === 'WATCHING') {
      // The deadline is the latest a verdict comes; a change that heals is verified well before.
      what = [entry.note ? `${entry.note}; ` : '', 'watching: verdict at the latest in ',
        el('span', { class: 'countdown', 'data-until': entry.deadline }, countdown(new Date(entry.deadline) - Date.now())),
        ` (by ${time(entry.deadline)})`];
    } else if (entry.note) {
      what = entry.note;
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
    const which = `the run of ${run.runbook} for ${run.problemId}`;
    const asked = stopping.has(run.id);
    const why = el('input', { class: 'run-stop-reason', 'data-role': 'stop-reason', maxlength: '1000',
      placeholder: 'Reason (optional)', 'aria-label': `Reason to stop ${which}` });
    why.value = stopping.get(run.id) || '';
    const confirm = el('button', { type: 'button', class: 'danger run-stop-confirm', 'data-role': 'stop-confirm',
      'aria-label': `Stop ${which}` }, 'Stop run');
    const cancel = el('button', { type: 'button', 'data-role': 'stop-cancel', 'aria-label': `Keep ${which} going` },
      'Cancel');
    const ask = el('button', { type: 'button', class: 'run-stop', 'data-role': 'stop', hidden: asked,
      'aria-label': `Stop ${which}…` }, 'Stop…');
    const controls = el('div', { class: 'run-stop-controls', hidden: !asked }, why, confirm, cancel);
    const keepGoing = () => {
      stopping.delete(run.id);
      controls.hidden = true;
      ask.hidden = false;
      ask.focus();
    };
    ask.addEventListener('click', () => {
      stopping.set(run.id, '');
      controls.hidden = false;
      ask.hidden = true;
      why.focus();
    });
    why.addEventListener('input', () => stopping.set(run.id, why.value));
    controls.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        keepGoing();
      }
    });
    cancel.addEventListener('click', keepGoing);
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      stopping.delete(run.id);
      try {
        const stopped = (await call('POST', `/api/remediation/runs/${encodeURIComponent(run.id)}/stop`,
          { body: why.value.trim() ? { reason: why.value.trim() } : {} })).run;
        tell(stopped.state === 'STOPPED'
          ? `Run of ${run.runbook} for ${run.problemId} stopped (${stopped.outcome}). The flags stay as they are.`
          : `Run of ${run.runbook} for ${run.problemId}, verified, will not put its changes back `
            + `(${stopped.restored}). The flags stay as they are.`, 'ok');
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

  function allowedRunbooks() {
    return runbooks.filter((runbook) => mayChangeAll(runbookFlags(runbook.name))).map((runbook) => runbook.name);
  }

  /** Redraws the runs when what they show changed, keeping the focus, the caret and the reason being typed. */
  function renderRuns() {
    const signature = JSON.stringify([runs, allowedRunbooks(), [...stopping.keys()]]);
    if (signature === shown) {
      return;
    }
    shown = signature;
    const active = list.contains(document.activeElement) ? document.activeElement : null;
    const focus = active && active.dataset.role && active.closest('.run')
      ? { run: active.closest('.run').dataset.runId, role: active.dataset.role, start: active.selectionStart,
        end: active.selectionEnd }
      : null;
    list.replaceChildren(...runs.map(item));
    if (focus) {
      const again = list.querySelector(`.run[data-run-id="${CSS.escape(focus.run)}"] [data-role="${focus.role}"]`);
      if (again && !again.hidden) {
        again.focus();
        if (typeof focus.start === 'number') {
          again.setSelectionRange(focus.start, focus.end);
        }
      }
    }
    const openRuns = runs.filter(open).length;
    status.textContent = runs.length === 0 ? 'No run yet: a Dynatrace workflow starts one for its problem, '
      + 'or start one below.'
      : `${openRuns} open run${openRuns === 1 ? '' : 's'}, all shown, then the latest ended ones.`;
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
        + (changes.length ? `${changes.join(', ')}.` : 'nothing, its flags are so already: if a change of them is '
          + 'still being judged, the run waits for that verdict; if not, it goes on to the next step at once.')),
      el('ol', {}, run.ladder.map((entry) => el('li', {}, `${entry.name}: ${flagsInWords(entry.flags)}`))),
      el('p', {}, 'Each step is judged by its guard; if none heals, the run escalates to people.'),
    ];
  }

  const { forget } = previewed({
    form,
    preview,
    confirm: start,
    error,
    ask: () => {
      const body = { problemId: problem.value.trim(), reason: reason.value.trim(), triggeredBy: 'manual' };
      if (!body.problemId || !body.reason) {
        throw new Error('A problem id and a reason are required.');
      }
      return { runbook: runbookSelect.value, body };
    },
    show: async ({ runbook, body }) => renderPreview(await call('POST',
      `/api/remediation/runbooks/${encodeURIComponent(runbook)}/runs`, { body: { ...body, dryRun: true } })),
    act: async ({ runbook, body }) => {
      try {
        const answer = await call('POST', `/api/remediation/runbooks/${encodeURIComponent(runbook)}/runs`, { body });
        tell(answer.started ? `Run of ${runbook} for problem ${body.problemId} started: follow its steps under Runbook runs.`
          : `Problem ${body.problemId} has a run of ${runbook} already (${answer.run.state}): nothing new started.`, 'ok');
        reason.value = '';
        reason.focus();
      } finally {
        onChanged();
      }
    },
  });

  const runsPanel = {
    /** Reads the runbooks once, and the recent runs each time. */
    async load() {
      if (runbooks.length === 0) {
        runbooks = (await call('GET', '/api/remediation/runbooks')).runbooks;
        runbookSelect.replaceChildren(...runbooks.map((runbook) => el('option', { value: runbook.name },
          `${runbook.name}: ${runbook.description}`)));
      }
      // Every open run, whatever its age (their number is bounded by remediation.runs.max-open); then the latest ended.
      const openRuns = (await call('GET', '/api/remediation/runs?open=true&limit=1000')).runs;
      const ended = (await call('GET', '/api/remediation/runs?limit=10')).runs
        .filter((run) => !openRuns.some((other) => other.id === run.id))
        .slice(0, 5);
      runs = [...openRuns, ...ended];
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
      const flags = runbookFlags(runbookSelect.value);
      access.textContent = allowed || runbooks.length === 0 ? ''
        : `Starting ${runbookSelect.value} changes ${flags.join(', ')}: it needs a key allowed every one of them, `
          + 'and so does stopping its runs.';
      access.hidden = !access.textContent;
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
