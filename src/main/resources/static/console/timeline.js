// The timeline: the audit as stories, newest first. A story is one change (every flag of a bulk
// change, one version) with what came of it: each flag's Dynatrace event, the guard's verdict, and
// the revert that undid it, told in the order they happened.

import { el, timeElement, value } from './format.js';

const DELIVERY = {
  DELIVERED: 'Delivered to Dynatrace',
  PENDING: 'Pending: not yet delivered',
  FAILED: 'Failed: Dynatrace refused it',
  DISABLED: 'Not sent: no Dynatrace environment',
  NONE: 'No event',
};

export function createTimeline(onFilter) {
  const list = document.getElementById('timeline-list');
  const status = document.getElementById('timeline-status');
  const flag = document.getElementById('filter-flag');
  const triggered = document.getElementById('filter-triggered');
  const problem = document.getElementById('filter-problem');
  let entries = [];
  let pause = null;

  document.getElementById('timeline-filter').addEventListener('submit', (event) => event.preventDefault());
  flag.addEventListener('change', onFilter);
  // Typing pauses before the query, rather than one query a keystroke.
  [triggered, problem].forEach((field) => field.addEventListener('input', () => {
    clearTimeout(pause);
    pause = setTimeout(onFilter, 300);
  }));

  /** The version of the change an entry follows: the one a verdict judges or a revert undoes. */
  function follows(entry) {
    const details = entry.details || {};
    const version = details['reverted.version'] || details['guarded.version'];
    return version ? Number(version) : null;
  }

  /** The version of the change whose story an entry tells. */
  function storyOf(entry) {
    return follows(entry) ?? entry.version;
  }

  /** Stories in the order of their latest entry, each told from its change on. */
  function stories() {
    const byVersion = new Map();
    for (const entry of entries) {
      const version = storyOf(entry);
      if (!byVersion.has(version)) {
        byVersion.set(version, []);
      }
      byVersion.get(version).push(entry);
    }
    return [...byVersion].map(([version, told]) => {
      const change = told.filter((entry) => follows(entry) === null);
      const after = told.filter((entry) => follows(entry) !== null).reverse();
      return { version, entries: [...change, ...after] };
    });
  }

  function story({ version, entries: told }) {
    return el('li', { class: 'story', 'data-version': version },
      el('ol', { class: 'story-entries' }, ...told.map(item)));
  }

  function item(entry) {
    const event = entry.event || { status: 'NONE' };
    const delivery = el('span', { class: `delivery ${event.status.toLowerCase()}`, 'data-role': 'delivery' }, event.status);
    const ramp = entry.details && entry.details['ramp.phase']
      ? `ramp ${entry.details['ramp.phase']} (${entry.details['ramp.from']} → ${entry.details['ramp.to']} over `
        + `${entry.details['ramp.duration.seconds']} s)`
      : null;
    const details = entry.details || {};
    // A verdict or an escalation judges changes and changes nothing: it shows what it concluded.
    const verdict = details['remediation.verdict'] || details['runbook.state'];
    const judged = verdict ? details['guard.summary'] || details['runbook.summary'] : null;
    const followed = follows(entry);
    const relation = followed === null ? null : details['reverted.version'] ? `undoes version ${followed}`
      : `judges version ${followed}`;
    return el('li', { class: `entry${verdict ? ' verdict' : ''}${relation ? ' follows' : ''}`, 'data-audit-id': entry.id,
      'data-flag': entry.flag, 'data-verdict': verdict || null },
      el('div', { class: 'entry-head' },
        timeElement(entry.timestamp), ' ',
        el('strong', {}, verdict && details['guard.flags'] ? details['guard.flags'] : entry.flag), ' ',
        el('span', { class: 'change' }, verdict || `${value(entry.previousValue)} → ${value(entry.newValue)}`), ' ',
        delivery),
      judged ? el('div', { class: 'entry-body' }, judged) : null,
      el('div', { class: 'entry-body' },
        `by ${entry.caller} · ${entry.triggeredBy}`,
        entry.reason && !verdict ? el('q', {}, entry.reason) : null,
        entry.problemId ? el('span', { class: 'problem' }, `problem ${entry.problemId}`) : null,
        ramp ? el('span', {}, ramp) : null,
        el('span', { class: 'version' }, `version ${entry.version}`),
        relation ? el('span', { class: 'relation' }, relation) : null),
      el('div', { class: 'entry-event' }, DELIVERY[event.status] || event.status,
        event.correlationId ? ` (correlation id ${event.correlationId})` : '',
        event.error ? el('span', { class: 'event-error' }, `: ${event.error}`) : null));
  }

  return {
    /** The audit query for the filters chosen. */
    query() {
      const params = new URLSearchParams({ limit: '100' });
      if (flag.value) {
        params.set('flag', flag.value);
      }
      if (triggered.value.trim()) {
        params.set('triggeredBy', triggered.value.trim());
      }
      if (problem.value.trim()) {
        params.set('problemId', problem.value.trim());
      }
      return `/api/remediation/audit?${params}`;
    },

    /** The flags to filter by. */
    setFlags(names) {
      if (flag.options.length > 1) {
        return;
      }
      flag.append(...names.map((name) => el('option', { value: name }, name)));
    },

    render(answer) {
      entries = answer.entries;
      const told = stories();
      list.replaceChildren(...told.map(story));
      const filtered = flag.value || triggered.value.trim() || problem.value.trim();
      status.textContent = entries.length === 0
        ? (filtered ? 'No change matches these filters.' : 'No change recorded yet.')
        : `${told.length} change${told.length === 1 ? '' : 's'}, newest first${entries.length === 100 ? ' (from the latest 100 entries)' : ''}.`;
    },

    /** Whether some event shown is still on its way, and the timeline should be read again soon. */
    hasPending: () => entries.some((entry) => entry.event && entry.event.status === 'PENDING'),
  };
}
