// The change dialog: a reason is required, a problem id and a revert are optional; a dry run
// shows exactly what would change, and only that is applied, on the version it was previewed
// on (If-Match), so a change made meanwhile by anyone makes the service refuse it whole.

import { call } from './api.js';
import { el, time, value } from './format.js';

export function createChangeDialog({ onApplied }) {
  const dialog = document.getElementById('change-dialog');
  const form = document.getElementById('change-form');
  const title = document.getElementById('change-title');
  const what = document.getElementById('change-what');
  const reason = document.getElementById('change-reason');
  const problem = document.getElementById('change-problem');
  const revert = document.getElementById('change-revert');
  const guard = document.getElementById('change-guard');
  const preview = document.getElementById('change-preview');
  const error = document.getElementById('change-error');
  const dryRun = document.getElementById('change-dry-run');
  const apply = document.getElementById('change-apply');
  const cancel = document.getElementById('change-cancel');

  /** What is being changed: {values: {flag: value}, bulk: boolean}. */
  let proposal = null;
  /** The previewed request and the version it was previewed on; null until a dry run. */
  let previewed = null;
  let busy = false;

  function body(dry) {
    const common = {
      reason: reason.value.trim(),
      problemId: problem.value.trim() || undefined,
      revertAfterSeconds: revert.value ? Number(revert.value) : undefined,
      dryRun: dry || undefined,
      guard: guardOf(guard.value),
    };
    if (proposal.bulk) {
      return { flags: proposal.values, ...common };
    }
    const [flag, newValue] = Object.entries(proposal.values)[0];
    return { flag, value: newValue, ...common };
  }

  /** The guard the form asks for: the error rate, the problem's closing, or both as evidence. */
  function guardOf(choice) {
    switch (choice) {
      case 'rate': return { errorRateBelow: 0.05, problemClosed: false };
      case 'problem': return { problemClosed: true };
      case 'both': return { errorRateBelow: 0.05, problemClosed: true };
      default: return undefined;
    }
  }

  function path() {
    return proposal.bulk ? '/api/remediation/feature-flags/bulk' : '/api/remediation/feature-flag';
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function forgetPreview() {
    previewed = null;
    apply.disabled = true;
    preview.replaceChildren();
  }

  function setBusy(value) {
    busy = value;
    dryRun.disabled = value;
    cancel.disabled = value;
    apply.disabled = value || !previewed || !previewed.changes;
  }

  /** The same shape for single and bulk answers: each flag's change and its event. */
  function changesOf(answer) {
    if (proposal.bulk) {
      return answer.changes.map((change) => ({
        ...change, event: answer.events.find((event) => event.flag === change.flag),
      }));
    }
    return [{ ...answer, event: answer.event }];
  }

  async function runDryRun() {
    showError('');
    forgetPreview();
    if (!reason.value.trim()) {
      showError('Say why: a reason is required, and it goes into the audit and the Dynatrace event.');
      reason.focus();
      return;
    }
    setBusy(true);
    try {
      const request = body(true);
      const answer = await call('POST', path(), { body: request });
      const changes = changesOf(answer).filter((change) => change.changed).length;
      previewed = { request: JSON.stringify(body(false)), version: answer.version, changes,
        plan: plan(answer) };
      preview.replaceChildren(
        el('h3', {}, 'Dry run: this is what would change'),
        el('ul', {}, changesOf(answer).map((change) => el('li', { 'data-flag': change.flag },
          el('strong', {}, change.flag), ': ', value(change.previousValue), ' → ', value(change.newValue),
          change.changed ? '' : ' (already so: unchanged)'))),
        answer.revertAt ? el('p', {}, `Then back to the previous values at ${time(answer.revertAt)}.`) : '',
        answer.guard ? el('p', { class: 'guard-preview' }, `Then watched: a verdict by ${time(answer.guard.deadline)}, `
          + `judged from ${answer.guard.settleUntil ? time(answer.guard.settleUntil) : 'the start'}`
          + (answer.guard.revertAfterSeconds ? '; the revert only after a verified verdict, once the problem stayed closed.' : '.')) : '',
        el('p', {}, changes
          ? `Applies only to version ${answer.version} of the flags: if anything changes first, nothing is applied.`
          : 'Nothing would change.'));
    } catch (ex) {
      showError(ex.message);
    } finally {
      setBusy(false);
    }
    if (previewed && previewed.changes) {
      apply.focus();
    }
  }

  async function runApply() {
    showError('');
    if (!previewed || JSON.stringify(body(false)) !== previewed.request) {
      forgetPreview();
      showError('The form changed since the dry run: preview again.');
      return;
    }
    setBusy(true);
    try {
      const answer = await applyAsPreviewed(previewed.version);
      const changes = changesOf(answer).filter((change) => change.changed);
      close();
      onApplied(changes, answer);
    } catch (ex) {
      forgetPreview();
      showError(ex.message);
    } finally {
      setBusy(false);
    }
  }

  /**
   * Applies on the previewed version. When the flags moved on meanwhile only elsewhere (a ramp
   * moves errorRate twice a second), a new dry run that plans exactly the same change lets it
   * apply on the new version: what is applied is still what was previewed. A change to one of
   * these flags is refused, as the service refused it.
   */
  async function applyAsPreviewed(version) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call('POST', path(), { body: body(false), ifMatch: version });
      } catch (ex) {
        if (ex.status !== 412 || attempt === 3) {
          throw ex;
        }
        const again = await call('POST', path(), { body: body(true) });
        if (plan(again) !== previewed.plan) {
          throw ex;
        }
        version = again.version;
      }
    }
  }

  /** What a dry run plans, flag by flag, to compare two of them. */
  function plan(answer) {
    return JSON.stringify(changesOf(answer).map((change) => [change.flag, change.previousValue, change.newValue,
      change.changed, answer.revertAt ? 'reverts' : '']));
  }

  function close() {
    proposal = null;
    if (dialog.open) {
      dialog.close();
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!busy) {
      runDryRun();
    }
  });
  apply.addEventListener('click', () => {
    if (!busy) {
      runApply();
    }
  });
  cancel.addEventListener('click', close);
  // Whatever is edited after the dry run has not been previewed.
  [reason, problem, revert, guard].forEach((field) => field.addEventListener('input', () => {
    if (previewed) {
      forgetPreview();
    }
  }));
  dialog.addEventListener('cancel', (event) => {
    if (busy) {
      event.preventDefault();
    }
  });

  return {
    /**
     * @param {string} heading
     * @param {Object<string, any>} values the new values by flag
     * @param {boolean} bulk one all-or-nothing change of several flags
     */
    open(heading, values, bulk) {
      proposal = { values, bulk };
      title.textContent = heading;
      what.replaceChildren(el('p', {}, 'Set ', Object.entries(values).map(([flag, newValue], index) => [
        index > 0 ? ', ' : '', el('strong', {}, flag), ` to ${value(newValue)}`]), '.'));
      form.reset();
      showError('');
      forgetPreview();
      setBusy(false);
      dialog.showModal();
      reason.focus();
    },
  };
}
