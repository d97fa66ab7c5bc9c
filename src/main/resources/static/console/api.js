// Calls to the service's API, and what its refusals mean in words. The key lives in this tab's
// sessionStorage only, and goes in a header: never in a URL, never in a cookie.

const KEY = 'bizobs.console.key';

export const key = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** Request headers: JSON, and the key when there is one. */
export function headers(accept = 'application/json') {
  const result = { Accept: accept };
  const value = key.get();
  if (value) {
    result['X-API-Key'] = value;
  }
  return result;
}

/** A refusal or a failure, with its message already in words. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter, write) {
    super(describe(status, problem, retryAfter, write));
    this.status = status;
  }
}

/**
 * Calls the API and answers its JSON, or throws an ApiError.
 * @param {string} method
 * @param {string} path
 * @param {{body?: object, ifMatch?: number}} options
 */
export async function call(method, path, { body, ifMatch } = {}) {
  const requestHeaders = headers();
  if (body !== undefined) {
    requestHeaders['Content-Type'] = 'application/json';
  }
  if (ifMatch !== undefined) {
    requestHeaders['If-Match'] = `"${ifMatch}"`;
  }
  const write = method !== 'GET';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: requestHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (ex) {
    throw new ApiError(0, null, null, write);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (ex) {
    // Not JSON: a proxy's page, say; the status alone tells.
  }
  if (!response.ok) {
    throw new ApiError(response.status, json, response.headers.get('Retry-After'), write);
  }
  return json;
}

/** What went wrong, as an operator reads it at 3 a.m. */
export function describe(status, problem, retryAfter, write) {
  const detail = (problem && (problem.detail || problem.title)) || '';
  switch (status) {
    case 0:
      return write
        ? 'No answer from the service (network error). The change may or may not have been made: '
          + 'check the timeline before trying again.'
        : 'The service cannot be reached.';
    case 400:
      return `The service refused the request: ${detail}`;
    case 401:
      return key.get()
        ? `The service refused the key: ${detail}`
        : `A key is needed for this: ${detail}`;
    case 403:
      return `Not allowed: ${detail}`;
    case 404:
      return `Not found: ${detail}`;
    case 409:
      if (!problem || problem.version === undefined) {
        return `Refused: ${detail}`;
      }
      // falls through: a version conflict is a precondition failure
    case 412:
      return 'The flags changed since the preview'
        + (problem && problem.version !== undefined ? ` (they are now at version ${problem.version})` : '')
        + ': nothing was applied. Preview the change again.';
    case 429: {
      // The service's own words may already say when (failed keys do).
      const wait = retryAfter && !/try again in/i.test(detail || '') ? ` Try again in ${retryAfter} s.` : '';
      return `Refused, too many in a short time: ${detail}${wait}`;
    }
    case 502:
    case 503:
      return `${detail || 'The service is unavailable.'}`;
    default:
      return `The service answered ${status}${detail ? `: ${detail}` : ''}`;
  }
}
