// Replaying the guide's scenarios: a fault on, or every flag back to its default, as one audited
// change, previewed first.

import { call } from './api.js';
import { el, value } from './format.js';
import { previewed } from './previewed.js';

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

  function changesInWords(changes) {
    const changed = changes.filter((change) => change.changed);
    return changed.length === 0 ? 'nothing: the flags are so already'
      : changed.map((change) => `${change.flag} ${value(change.previousValue)} → ${value(change.newValue)}`).join(', ');
  }

  function path(name) {
    return `/api/journey-simulation/scenarios/${encodeURIComponent(name)}`;
  }

  const { forget } = previewed({
    form,
    preview,
    confirm: play,
    error,
    ask: () => ({ name: select.value, body: reason.value.trim() ? { reason: reason.value.trim() } : {} }),
    show: async ({ name, body }) => {
      const answer = await call('POST', path(name), { body: { ...body, dryRun: true } });
      return [el('p', {}, `Would change ${changesInWords(answer.changes)}.`), el('p', {}, `Then: ${answer.expect}`)];
    },
    act: async ({ name, body }) => {
      try {
        const answer = await call('POST', path(name), { body });
        tell(`Scenario ${name} played as version ${answer.version}: changed ${changesInWords(answer.changes)}. `
          + answer.expect, 'ok');
      } finally {
        onChanged();
      }
    },
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
