import { api, ApiError } from './api.js';

/**
 * Who the key is: {role: 'platform-admin'} or {role: 'admin'|'developer'|'viewer', tenant}. GET /api/v1/tenant names
 * the calling key's role (docs/api.md §4.2); the platform admin key has no tenant, so there it is 403.
 */
export async function identify(key) {
  let tenant;
  try {
    tenant = await api('/tenant', { key });
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 403) throw e;
    // 403 is the platform admin (outside /api/v1/tenants) or a suspended tenant's key.
    try {
      await api('/tenants?limit=1', { key });
      return { role: 'platform-admin' };
    } catch {
      throw e;
    }
  }
  return { role: tenant.caller.role, tenant };
}

export const canWrite = (who) => who.role === 'developer' || who.role === 'admin';
