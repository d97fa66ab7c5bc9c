// The loop's chart, drawn as plain SVG: each customer's journey error rate over the history the
// service keeps, and a marker at each flag change, so cause and effect read left to right.

import { el, percent, time, value } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 260;
const PAD = { left: 48, right: 14, top: 26, bottom: 28 };
const SERIES = 8;
/** About the width of a character of the markers' 11-pixel labels. */
const LABEL_CHAR_WIDTH = 6.3;
const TIME_STEPS_S = [5, 10, 15, 30, 60, 120, 300, 600, 900];

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, val] of Object.entries(attributes)) {
    element.setAttribute(name, val);
  }
  children.forEach((child) => element.append(child));
  return element;
}

function title(text) {
  return svg('title', {}, text);
}

/**
 * The flags of one change make one marker, oldest first: a bulk change's entries share their
 * version and their time (a ramp's start and end are recorded on the version before them).
 */
function groupMarkers(markers) {
  const groups = [];
  for (const marker of [...markers].reverse()) {
    const last = groups[groups.length - 1];
    if (last && last.version === marker.version && last.changes[0].at === marker.at) {
      last.changes.push(marker);
    } else {
      groups.push({ at: new Date(marker.at).getTime(), version: marker.version, changes: [marker] });
    }
  }
  return groups;
}

function describeChange(marker) {
  return marker.verdict ? `${marker.verdict}: ${marker.flag}`
    : `${marker.flag} ${value(marker.previousValue)} → ${value(marker.newValue)}`;
}

function kindOf(group) {
  const kinds = group.changes.map((marker) => {
    if (marker.verdict) {
      // A stopped run is a person's decision, not a judgement of a change.
      return { ESCALATED: 'escalation', STOPPED: 'manual' }[marker.verdict] || 'verdict';
    }
    return marker.triggeredBy === 'auto_revert' ? 'revert'
      : marker.triggeredBy === 'dynatrace_workflow' ? 'workflow' : 'manual';
  });
  return ['escalation', 'verdict', 'revert', 'workflow'].find((kind) => kinds.includes(kind)) || 'manual';
}

/**
 * @param {object} loop GET /api/console/loop
 */
export function renderLoop(loop) {
  const chart = document.getElementById('loop-chart');
  const legend = document.getElementById('loop-legend');
  const summary = document.getElementById('loop-summary');
  const samples = loop.samples.map((sample) => ({ at: new Date(sample.at).getTime(), rates: sample.errorRates }));
  const groups = groupMarkers(loop.markers);
  const end = Date.now();
  // The chart spans what there is to show, up to the whole history: a service started a minute
  // ago has a minute of samples, drawn across the width.
  const earliest = Math.min(samples.length ? samples[0].at : end, groups.length ? groups[0].at : end);
  const start = Math.max(end - loop.historySeconds * 1000, Math.min(earliest, end - 30000));
  // Drawn at the size it is shown, so its text is as large as the page's on a laptop and a phone.
  const width = Math.max(300, chart.clientWidth || 800);
  const customers = [...new Set(samples.flatMap((sample) => Object.keys(sample.rates)))].sort();
  const highest = Math.max(0, ...samples.flatMap((sample) => Object.values(sample.rates)));
  const top = highest <= 0.05 ? 0.05 : Math.ceil(highest * 10) / 10;
  const x = (at) => PAD.left + ((at - start) / (end - start)) * (width - PAD.left - PAD.right);
  const y = (rate) => HEIGHT - PAD.bottom - (rate / top) * (HEIGHT - PAD.top - PAD.bottom);

  const root = svg('svg', {
    viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-labelledby': 'loop-heading loop-summary',
    preserveAspectRatio: 'xMidYMid meet',
  });
  for (let i = 0; i <= 4; i++) {
    const rate = (top * i) / 4;
    root.append(svg('line', { class: 'grid', x1: PAD.left, x2: width - PAD.right, y1: y(rate), y2: y(rate) }),
      svg('text', { class: 'axis', x: PAD.left - 6, y: y(rate) + 4, 'text-anchor': 'end' }, percent(rate)));
  }
  const span = (end - start) / 1000;
  const step = TIME_STEPS_S.find((seconds) => span / seconds <= 6) || 1800;
  for (let at = Math.ceil(start / (step * 1000)) * step * 1000; at <= end; at += step * 1000) {
    const label = new Date(at).toLocaleTimeString([], step < 60
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
    root.append(svg('line', { class: 'tick', x1: x(at), x2: x(at), y1: HEIGHT - PAD.bottom, y2: HEIGHT - PAD.bottom + 4 }),
      svg('text', { class: 'axis', x: x(at), y: HEIGHT - 8, 'text-anchor': 'middle' }, label));
  }

  // A gap in the samples (no journeys for a customer, or the service paused) breaks the line.
  const gap = Math.max(loop.sampleIntervalMillis * 2.5, 1000);
  customers.forEach((customer, index) => {
    let path = '';
    let previous = null;
    for (const sample of samples) {
      const rate = sample.rates[customer];
      if (rate === undefined) {
        previous = null;
        continue;
      }
      path += `${previous === null || sample.at - previous > gap ? 'M' : 'L'}${x(sample.at).toFixed(1)},${y(rate).toFixed(1)}`;
      previous = sample.at;
    }
    root.append(svg('path', { class: `series series-${index % SERIES}`, d: path || 'M0,0' },
      title(customer)));
  });

  // Labels where there is room for them, the latest change first; the tooltips and the timeline
  // have every change.
  const labelled = [];
  for (const group of [...groups].reverse()) {
    if (group.at < start) {
      continue;
    }
    const position = x(group.at);
    const text = group.changes.map((marker) => `${time(marker.at)} ${describeChange(marker)} by ${marker.caller} `
      + `(${marker.triggeredBy})${marker.problemId ? `, problem ${marker.problemId}` : ''}`
      + `${marker.reason ? `: ${marker.reason}` : ''}`).join('\n');
    const kind = kindOf(group);
    const marker = svg('g', { class: `marker ${kind}`, 'data-kind': kind }, title(text),
      svg('line', { x1: position, x2: position, y1: PAD.top - 6, y2: HEIGHT - PAD.bottom }),
      svg('path', { d: `M${position - 5},${PAD.top - 12}L${position + 5},${PAD.top - 12}L${position},${PAD.top - 4}Z` }));
    // The first flag in full and how many more: a label is never cut, and the tooltip lists them all.
    const label = describeChange(group.changes[0])
      + (group.changes.length > 1 ? ` (+${group.changes.length - 1} more)` : '');
    // Right of its marker, as a timeline reads, where there is room; else left of it; never over another label.
    const extent = label.length * LABEL_CHAR_WIDTH;
    const left = position + 8 + extent > width - PAD.right && position - 8 - extent >= PAD.left;
    const from = left ? position - 8 - extent : position + 8;
    if (from + extent <= width - PAD.right && labelled.every(([a, b]) => from + extent + 8 < a || from > b + 8)) {
      marker.append(svg('text', {
        class: 'marker-label', x: left ? position - 8 : position + 8, y: PAD.top - 9,
        'text-anchor': left ? 'end' : 'start',
      }, label));
      labelled.push([from, from + extent]);
    }
    root.append(marker);
  }
  chart.replaceChildren(root);

  const latest = samples[samples.length - 1];
  legend.replaceChildren(...customers.map((customer, index) => el('li', {},
    el('span', { class: `swatch series-${index % SERIES}`, 'aria-hidden': 'true' }),
    `${customer}: ${latest && latest.rates[customer] !== undefined ? percent(latest.rates[customer]) : 'no journeys now'}`)));
  const inView = groups.filter((group) => group.at >= start);
  const verdicts = inView.filter((group) => group.changes[0].verdict).length;
  const changes = inView.length - verdicts;
  summary.textContent = samples.length === 0
    ? 'No samples yet: the error rate is sampled every few seconds while journeys run.'
    : `From ${time(new Date(start).toISOString())} to now, sampled every ${loop.sampleIntervalMillis / 1000} s`
      + ` (kept for ${Math.round(loop.historySeconds / 60)} min); ${changes} flag change${changes === 1 ? '' : 's'}`
      + `${verdicts ? ` and ${verdicts} verdict${verdicts === 1 ? '' : 's'}` : ''} marked.` + (customers.length === 0 ? ' No journeys ran in this time.' : '');
}
