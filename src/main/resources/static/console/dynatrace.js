// The Dynatrace panel: where events go, and how their delivery stands.

import { ago, el, timeElement } from './format.js';

/** @param {object} status GET /api/remediation/events/status */
export function renderDynatrace(status) {
  const facts = [];
  if (!status.enabled) {
    facts.push(['Events', 'not sent: no Dynatrace environment is configured (DT_ENVIRONMENT)']);
  } else {
    facts.push(['Endpoint', el('code', {}, status.endpoint)]);
    facts.push(['Mode', status.mode]);
    facts.push(['Authorization', status.authorization === 'none'
      ? 'none: no token is configured, so Dynatrace refuses the events' : `${status.authorization} token`]);
  }
  facts.push(['Pending events', String(status.pending)]);
  facts.push(['Last delivered', status.lastDeliveredAt
    ? [timeElement(status.lastDeliveredAt), ` (${ago(status.lastDeliveredAt)})`] : 'none since this replica started']);
  facts.push(['Last error', status.lastError ? el('span', { class: 'event-error' }, status.lastError) : 'none']);
  document.getElementById('dynatrace-status').replaceChildren(
    ...facts.flatMap(([term, description]) => [el('dt', {}, term), el('dd', {}, description)]));
}
