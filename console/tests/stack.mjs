// The running stack the browser tests drive: its gateway, and tenants and keys made through the API (docs/api.md §4.2).
import { randomBytes } from 'node:crypto';

export const GATEWAY = (process.env.NEXUS_GATEWAY_URL || 'http://127.0.0.1:8000').replace(/\/+$/, '');
export const CONSOLE = `${GATEWAY}/console/`;
export const ADMIN_KEY = process.env.NEXUS_ADMIN_KEY;
if (!ADMIN_KEY) throw new Error('NEXUS_ADMIN_KEY is required (the platform admin key of the stack)');

export const unique = (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A call through the gateway; answers {status, body}. */
export async function call(key, method, path, body) {
  const headers = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${GATEWAY}/api/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function expectCall(key, method, path, body, status) {
  const answer = await call(key, method, path, body);
  if (answer.status !== status) {
    throw new Error(`${method} ${path} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** A new tenant with a key of the role: {tenant, key}. */
export async function tenantWithKey(name, role) {
  const tenant = await expectCall(ADMIN_KEY, 'POST', '/tenants', { name: unique(name) }, 201);
  const key = await expectCall(ADMIN_KEY, 'POST', `/tenants/${tenant.id}/api-keys`, { name: 'console-tests', role }, 201);
  return { tenant, key: key.key };
}
