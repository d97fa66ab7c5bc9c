// Replaying the guide's scenarios: a fault on, or every flag back to its default, as one audited
// change, previewed first.

import { call } from './api.js';
import { el, value } from './format.js';

/**
 * @param {{mayChangeAll: (flags: string[]) => boolean, tell: (message: string, kind?: string) => void,
 *   onChanged: () => void}} callbacks
 */
export function createScenarios({ mayChangeAll, tell, onChanged }) {
  const form = document.getElementById('scenario-form');
  const select = document.getElementById('scenario-name');
  const reason = document.getElementById('scenario-reason');
  const preview = document.getElementById('scenario-preview');
  const play = document.getElementById('scenario-play');
  const error = document.getElementById('scenario-error');
  let scenarios = [];
  /** The request the preview was made for: playing sends exactly it. */
  let previewed = null;

  function forget() {
    previewed = null;
    play.disabled = true;
    preview.replaceChildren();
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  function changesInWords(changes) {
    const changed = changes.filter((change) => change.changed);
    return changed.length === 0 ? 'nothing: the flags are so already'
      : changed.map((change) => `${change.flag} ${value(change.previousValue)} → ${value(change.newValue)}`).join(', ');
  }

  function body() {
    return reason.value.trim() ? { reason: reason.value.trim() } : {};
  }

  form.addEventListener('input', forget);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fail('');
    forget();
    const name = select.value;
    try {
      const answer = await call('POST', `/api/journey-simulation/scenarios/${encodeURIComponent(name)}`,
        { body: { ...body(), dryRun: true } });
      preview.replaceChildren(el('p', {}, `Would change ${changesInWords(answer.changes)}.`),
        el('p', {}, `Then: ${answer.expect}`));
      previewed = { name, body: body() };
      play.disabled = false;
    } catch (ex) {
      fail(ex.message);
    }
  });
  play.addEventListener('click', async () => {
    if (!previewed) {
      return;
    }
    const { name } = previewed;
    const request = previewed.body;
    forget();
    try {
      const answer = await call('POST', `/api/journey-simulation/scenarios/${encodeURIComponent(name)}`,
        { body: request });
      tell(`Scenario ${name} played as version ${answer.version}: changed ${changesInWords(answer.changes)}. `
        + answer.expect, 'ok');
    } catch (ex) {
      fail(ex.message);
    }
    onChanged();
  });

  const panel = {
    /** Reads the scenarios once. */
    async load() {
      if (scenarios.length === 0) {
        scenarios = (await call('GET', '/api/journey-simulation/scenarios')).scenarios;
        select.replaceChildren(...scenarios.map((scenario) => el('option', { value: scenario.name },
          `${scenario.name}: ${scenario.description}`)));
        panel.setAccess();
      }
    },

    /** Only a caller allowed every flag the chosen scenario sets may play it. */
    setAccess() {
      const scenario = scenarios.find((candidate) => candidate.name === select.value);
      const allowed = Boolean(scenario) && mayChangeAll(Object.keys(scenario.flags));
      reason.disabled = !allowed;
      form.querySelector('button[type="submit"]').disabled = !allowed;
      if (!allowed) {
        forget();
      }
    },
  };
  select.addEventListener('change', () => panel.setAccess());
  return panel;
}
