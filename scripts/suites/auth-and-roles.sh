#!/usr/bin/env bash
# docs/api.md §2 through the running stack: 401 for every kind of bad key, 403 for suspended tenants, each row of the
# role table, the platform admin's reach, and 401 for direct service calls without a valid internal identity.
source "$(dirname "$0")/lib.sh"

tenant="$(new_tenant roles)"
read -r admin_key admin_key_id <<<"$(new_key "$tenant" admin)"
read -r developer_key _ <<<"$(new_key "$tenant" developer)"
read -r viewer_key _ <<<"$(new_key "$tenant" viewer)"

# --- 401 ---
check "no key: 401" test "$(http GET "$GATEWAY/api/v1/tenant")" = 401
check "empty bearer: 401" test "$(http GET "$GATEWAY/api/v1/tenant" -H 'Authorization: Bearer ')" = 401
check "malformed key: 401" test "$(http GET "$GATEWAY/api/v1/tenant" -H 'Authorization: Bearer not a key')" = 401
check "unknown key: 401" test "$(api nxk_thisKeyDoesNotExist0123456789abcdefghijk GET /api/v1/tenant)" = 401
check "401 is problem+json with WWW-Authenticate" bash -c "grep -qi '^www-authenticate: Bearer' '$WORK/headers' && grep -qi 'problem+json' '$WORK/headers'"
read -r expiring_key expiring_id <<<"$(new_key "$tenant" viewer)"
PGPASSWORD="${DB_PASSWORD:-nexus}" psql -q -h "${DB_HOST:-127.0.0.1}" -p "${DB_PORT:-5432}" -U "${DB_USER:-nexus}" \
  -d tenant_service -c "UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = '$expiring_id'" >/dev/null
check "expired key: 401" test "$(api "$expiring_key" GET /api/v1/tenant)" = 401
read -r revoked_key revoked_id <<<"$(new_key "$tenant" developer)"
check "a key works before it is revoked" test "$(api "$revoked_key" GET /api/v1/tenant)" = 200
api "$admin_key" DELETE "/api/v1/tenants/$tenant/api-keys/$revoked_id" >/dev/null
revoked_401() { test "$(api "$revoked_key" GET /api/v1/tenant)" = 401; }
check "revoked key: 401 within 1 s" eventually 1 revoked_401
check "X-API-Key works like Bearer" test "$(http GET "$GATEWAY/api/v1/tenant" -H "X-API-Key: $viewer_key")" = 200

# --- the role table ---
allowed() { local s; s="$(api "$@")"; [ "$s" != 401 ] && [ "$s" != 403 ]; }
refused() { test "$(api "$@")" = 403; }
for key in "$viewer_key" "$developer_key" "$admin_key"; do
  check "read own tenant" test "$(api "$key" GET /api/v1/tenant)" = 200
  check "read workflows allowed" allowed "$key" GET /api/v1/workflows
  check "read executions allowed" allowed "$key" GET /api/v1/executions
  check "read sessions allowed" allowed "$key" GET /api/v1/sessions
  check "read marketplace allowed" allowed "$key" GET /api/v1/marketplace/items
done
check "viewer may not create workflows" refused "$viewer_key" POST /api/v1/workflows '{}'
check "viewer may not start executions" refused "$viewer_key" POST /api/v1/workflows/w/executions '{}'
check "viewer may not cancel executions" refused "$viewer_key" POST /api/v1/executions/x/cancel '{}'
check "viewer may not signal executions" refused "$viewer_key" POST /api/v1/executions/x/signals/go '{}'
check "viewer may not create sessions" refused "$viewer_key" POST /api/v1/sessions '{}'
check "viewer may not publish" refused "$viewer_key" POST /api/v1/marketplace/items '{}'
check "viewer may not install" refused "$viewer_key" POST /api/v1/marketplace/items/i/install '{}'
check "viewer may not review" refused "$viewer_key" POST /api/v1/marketplace/items/i/reviews '{}'
for key in "$developer_key" "$admin_key"; do
  check "developer and admin may create workflows" allowed "$key" POST /api/v1/workflows '{}'
  check "developer and admin may start executions" allowed "$key" POST /api/v1/workflows/w/executions '{}'
  check "developer and admin may create sessions" allowed "$key" POST /api/v1/sessions '{}'
  check "developer and admin may publish" allowed "$key" POST /api/v1/marketplace/items '{}'
done
for key in "$viewer_key" "$developer_key"; do
  check "only admins manage keys (list)" refused "$key" GET "/api/v1/tenants/$tenant/api-keys"
  check "only admins manage keys (create)" refused "$key" POST "/api/v1/tenants/$tenant/api-keys" '{"name":"x","role":"viewer"}'
  check "only admins read usage" refused "$key" GET "/api/v1/tenants/$tenant/usage"
done
check "admin manages keys" test "$(api "$admin_key" GET "/api/v1/tenants/$tenant/api-keys")" = 200
check "admin reads usage" test "$(api "$admin_key" GET "/api/v1/tenants/$tenant/usage")" = 200
check "a tenant key cannot create tenants" refused "$admin_key" POST /api/v1/tenants '{"name":"x"}'

# --- the platform admin ---
check "platform admin lists tenants" test "$(api admin GET /api/v1/tenants)" = 200
check "platform admin is refused outside /api/v1/tenants" refused admin GET /api/v1/workflows
check "platform admin is refused on /api/v1/tenant" refused admin GET /api/v1/tenant
check "platform admin is not rate-limited (no RateLimit headers)" bash -c "[ \"\$(curl -s -o /dev/null -D - -H 'Authorization: Bearer $NEXUS_ADMIN_KEY' '$GATEWAY/api/v1/tenants' | grep -ci '^ratelimit-limit')\" = 0 ]"

# --- suspension ---
api admin PATCH "/api/v1/tenants/$tenant" '{"status": "suspended"}' >/dev/null
suspended_403() { test "$(api "$viewer_key" GET /api/v1/tenant)" = 403; }
check "suspended tenant: 403 within 1 s" eventually 1 suspended_403
api admin PATCH "/api/v1/tenants/$tenant" '{"status": "active"}' >/dev/null
reactivated() { test "$(api "$viewer_key" GET /api/v1/tenant)" = 200; }
check "reactivated tenant works again within 1 s" eventually 1 reactivated

# --- direct calls to services need the gateway's identity ---
for port in 8081 8082 8083 8084; do
  check "direct call to :$port without identity: 401" test "$(http GET "http://127.0.0.1:$port/api/v1/tenants")" = 401
  check "direct call to :$port with a forged identity: 401" test "$(http GET "http://127.0.0.1:$port/api/v1/tenants" \
    -H 'X-Nexus-Identity: eyJhbGciOiJub25lIn0.eyJyb2xlIjoicGxhdGZvcm0tYWRtaW4ifQ.')" = 401
done
check "the gateway drops client X-Nexus-Identity" test "$(http GET "$GATEWAY/api/v1/tenant" -H "Authorization: Bearer $viewer_key" -H 'X-Nexus-Identity: forged')" = 200

summary
