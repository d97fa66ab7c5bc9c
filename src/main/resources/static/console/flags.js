// The flags panel: one card per flag, built once and then updated in place, so a value typed
// into a field or the keyboard focus survives the live updates.

import { ago, countdown, el, percent, time, timeElement, value } from './format.js';

/**
 * @param {HTMLElement} container
 * @param {{propose: (flag: object, newValue: any) => void, stopRamp: () => void}} actions
 */
export function createFlags(container, actions) {
  const cards = new Map();
  let writable = () => false;
  let ramp = null;

  function card(flag) {
    let entry = cards.get(flag.name);
    if (!entry) {
      entry = build(flag);
      cards.set(flag.name, entry);
      container.append(entry.root);
    }
    return entry;
  }

  function build(flag) {
    const id = `flag-${flag.name}`;
    const shown = el('span', { class: 'value', 'data-role': 'value' });
    const root = el('article', { class: 'flag', 'data-flag': flag.name, 'aria-labelledby': `${id}-name` },
      el('div', { class: 'flag-head' }, el('h3', { id: `${id}-name` }, flag.name), shown),
      el('p', { class: 'description' }, flag.description));
    const entry = { root, shown, flag };
    if (flag.type === 'boolean') {
      entry.control = el('input', { type: 'checkbox', role: 'switch', id: `${id}-switch`, class: 'switch' });
      entry.control.addEventListener('change', () => {
        // The switch proposes; the value changes only once the dialog's change is applied.
        const proposed = entry.control.checked;
        entry.control.checked = entry.flag.value;
        actions.propose(entry.flag, proposed);
      });
      root.append(el('div', { class: 'control' }, entry.control,
        el('label', { for: `${id}-switch` }, 'Turn ', el('span', { class: 'visually-hidden' }, flag.name), ' on or off')));
    } else {
      entry.control = el('input', {
        type: 'number', id: `${id}-input`, inputmode: flag.type === 'integer' ? 'numeric' : 'decimal',
        min: flag.min, max: flag.max, step: flag.type === 'integer' ? '1' : 'any',
      });
      const button = el('button', { type: 'button', 'data-role': 'change' }, 'Change…');
      const propose = () => {
        if (!entry.control.reportValidity() || entry.control.value === '') {
          return;
        }
        actions.propose(entry.flag, Number(entry.control.value));
      };
      button.addEventListener('click', propose);
      entry.control.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          propose();
        }
      });
      entry.button = button;
      const range = flag.min !== null || flag.max !== null ? ` (${value(flag.min)} to ${value(flag.max)})` : '';
      root.append(el('div', { class: 'control' },
        el('label', { for: `${id}-input` }, `New value${range}`), entry.control, button));
    }
    entry.facts = el('dl', { class: 'facts' });
    entry.extra = el('div', { class: 'extra' });
    root.append(entry.facts, entry.extra);
    return entry;
  }

  function showValue(entry, newValue) {
    const before = entry.shown.textContent;
    entry.flag.value = newValue;
    entry.shown.textContent = value(newValue);
    if (before !== '' && before !== entry.shown.textContent) {
      // Seen from across the room: the value just changed.
      entry.root.classList.remove('changed');
      void entry.root.offsetWidth;
      entry.root.classList.add('changed');
    }
    if (entry.flag.type === 'boolean') {
      entry.control.checked = newValue;
    } else if (document.activeElement !== entry.control) {
      // A value the operator is typing stays; otherwise the field follows the flag.
      entry.control.value = newValue;
    }
  }

  function showFacts(entry) {
    const flag = entry.flag;
    const facts = [['Default', value(flag.default)]];
    const last = flag.lastChange;
    if (last) {
      facts.push(['Last change', [timeElement(last.at), ' (', el('span', { class: 'ago', 'data-since': last.at }, ago(last.at)),
        `) by ${last.caller} (${last.triggeredBy})`,
        last.reason ? el('q', { class: 'reason' }, last.reason) : null,
        last.problemId ? el('span', { class: 'problem' }, `problem ${last.problemId}`) : null]]);
    } else {
      facts.push(['Last change', 'never changed: it has its default']);
    }
    const revert = flag.pendingRevert;
    if (revert) {
      facts.push(['Auto-revert', [`back to ${value(revert.revertTo)} in `,
        el('span', { class: 'countdown', 'data-until': revert.revertAt }, countdown(new Date(revert.revertAt) - Date.now())),
        ` (at ${time(revert.revertAt)})`]]);
    }
    const guard = flag.guard;
    if (guard) {
      facts.push(['Guard', guardFact(guard)]);
    }
    entry.facts.replaceChildren(...facts.flatMap(([term, description]) => [el('dt', {}, term), el('dd', {}, description)]));
  }

  /** What the guard of the last change says: watching until its deadline, holding its revert, or its verdict. */
  function guardFact(guard) {
    if (guard.state === 'WATCHING') {
      return ['watching: verdict by ', el('span', { class: 'countdown', 'data-until': guard.deadline },
        countdown(new Date(guard.deadline) - Date.now())), ` (at ${time(guard.deadline)})`];
    }
    const verdict = guard.verdict ? guard.verdict.toLowerCase().replace('_', ' ') : 'ended';
    if (guard.state === 'HOLDING') {
      return [`${verdict}; reverted once the problem has stayed closed, not before ${time(guard.revertAt)}`];
    }
    return [verdict + (guard.action ? `: ${guard.action}` : '')];
  }

  // The ramp's panel is built once per running ramp and then updated in place: a ramp step
  // comes twice a second, and a rebuilt Stop button would lose the keyboard focus and the click.
  function showRamp(entry) {
    if (entry.flag.name !== 'errorRate' || !ramp || ramp.status !== 'RUNNING') {
      entry.ramp = null;
      entry.extra.replaceChildren();
      return;
    }
    if (!entry.ramp) {
      const stop = el('button', { type: 'button', class: 'danger', 'data-role': 'stop-ramp' }, 'Stop ramp');
      stop.addEventListener('click', () => actions.stopRamp());
      entry.ramp = {
        summary: el('p', {}),
        progress: el('progress', { max: '1', 'aria-label': 'Ramp progress' }),
        remaining: el('span', { class: 'ramp-progress' }),
        stop,
      };
      entry.extra.replaceChildren(el('div', { class: 'ramp' },
        entry.ramp.summary, entry.ramp.progress, entry.ramp.remaining, stop));
    }
    entry.ramp.summary.replaceChildren(`Ramp running: ${value(ramp.from)} → ${value(ramp.to)} over ${ramp.durationSeconds} s`,
      ramp.reason ? ` “${ramp.reason}”` : '', ` by ${ramp.caller}`);
    entry.ramp.stop.disabled = !writable(entry.flag.name);
    tickRamp(entry);
  }

  function tickRamp(entry) {
    if (!entry.ramp) {
      return;
    }
    const start = new Date(ramp.startedAt).getTime();
    const end = new Date(ramp.endsAt).getTime();
    const done = end > start ? Math.min(1, Math.max(0, (Date.now() - start) / (end - start))) : 1;
    entry.ramp.progress.value = done;
    entry.ramp.remaining.textContent = ` ${percent(done)}, ends in ${countdown(end - Date.now())}`;
  }

  function showAccess(entry) {
    const allowed = writable(entry.flag.name);
    entry.control.disabled = !allowed;
    if (entry.button) {
      entry.button.disabled = !allowed;
    }
  }

  return {
    /** Everything of every flag, from GET /api/console/flags. */
    render(flags) {
      for (const flag of flags) {
        const entry = card(flag);
        entry.flag = flag;
        showValue(entry, flag.value);
        showFacts(entry);
        showRamp(entry);
        showAccess(entry);
      }
    },

    /** Only the values, as the change stream sends them: shown at once. */
    applyValues(values) {
      for (const [name, newValue] of Object.entries(values)) {
        const entry = cards.get(name);
        if (entry) {
          showValue(entry, newValue);
        }
      }
    },

    /** The running or last ramp, from GET /api/remediation/error-rate. */
    setRamp(latest) {
      ramp = latest;
      const entry = cards.get('errorRate');
      if (entry) {
        showRamp(entry);
      }
    },

    /** @param {(flag: string) => boolean} mayChange */
    setAccess(mayChange) {
      writable = mayChange;
      cards.forEach((entry) => {
        showAccess(entry);
        showRamp(entry);
      });
    },

    /** Moves the countdowns and the ramp's progress on, once a second. */
    tick() {
      container.querySelectorAll('.countdown').forEach((span) => {
        span.textContent = countdown(new Date(span.dataset.until) - Date.now());
      });
      container.querySelectorAll('.ago').forEach((span) => {
        span.textContent = ago(span.dataset.since);
      });
      const entry = cards.get('errorRate');
      if (entry && ramp && ramp.status === 'RUNNING') {
        tickRamp(entry);
      }
    },

    flag: (name) => cards.get(name)?.flag,
  };
}
