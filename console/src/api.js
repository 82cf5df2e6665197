// The console's only way to the platform: the public /api/v1 with the signed-in key (docs/api.md §2.1).
const KEY = 'nexus.console.apiKey';

export const storedKey = () => sessionStorage.getItem(KEY);
export const storeKey = (key) => sessionStorage.setItem(KEY, key);
// Sign-out: the key lives nowhere else (no cookies, no localStorage), so clearing the tab's storage forgets it.
export const forgetKey = () => sessionStorage.clear();

/** An RFC 9457 problem (docs/api.md §3) or a transport failure, with the status and per-field errors. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

export async function api(path, { method = 'GET', body, key = storedKey(), signal, headers = {} } = {}) {
  const sent = { Authorization: `Bearer ${key}`, ...headers };
  let payload;
  if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers: sent, body: payload, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { detail: `the gateway cannot be reached (${e.message})` });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text.slice(0, 200) };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Builds a query string from the defined, non-empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;
