// Small helpers shared by the panels: building elements, and putting times and values in words.

/**
 * Makes an element with attributes and children; text children are text, never HTML, so nothing
 * the API answers can become markup.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** A flag value as JSON writes it: true, 50, 0.12. */
export function value(v) {
  return v === null || v === undefined ? '–' : JSON.stringify(v);
}

/** A time of day in the browser's zone, with the date when it is not today. */
export function time(iso) {
  const date = new Date(iso);
  const today = new Date();
  const clock = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return date.toDateString() === today.toDateString()
    ? clock
    : `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${clock}`;
}

/** A <time> element showing time(iso), with the exact instant in its datetime and title. */
export function timeElement(iso) {
  return el('time', { datetime: iso, title: new Date(iso).toISOString() }, time(iso));
}

/** How long ago, roughly: "12 s ago", "5 min ago", "3 h ago". */
export function ago(iso, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }
  if (seconds < 86400) {
    return `${Math.floor(seconds / 3600)} h ago`;
  }
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A countdown: "4:59", "1:02:03". */
export function countdown(milliseconds) {
  const total = Math.max(0, Math.ceil(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A share as a percentage: 0.1234 → "12.3 %". */
export function percent(share) {
  return `${(share * 100).toFixed(share < 0.1 && share > 0 ? 1 : 0)} %`;
}
