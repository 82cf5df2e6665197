-- An RFC 7386 merge into a session's data, as one atomic step (docs/api.md §4.5). The data is stored member by member
-- (field 'd:' .. JSON-encoded name = the member's JSON text), so merges that touch different top-level members never
-- conflict; a member whose patch is an object is merged by the caller and written only if that member is still what
-- the caller read (kind C or A), else the caller reads again and retries.
-- KEYS[1] the session's hash
-- ARGV[1] the caller's tenant, ARGV[2] the version the caller requires ('' for any: If-Match), ARGV[3] the most bytes
-- the serialized data may have; then per member: kind (S set, D delete, C set if it still equals expected, A set if
-- still absent), field, value, expected
-- Returns {1, version} merged; {0} not in Redis; {-1} another tenant's; {-2, version} If-Match failed;
-- {-3} a member changed since the caller read it; {-4, bytes} too large (nothing written)
local tenant = redis.call('HGET', KEYS[1], 'tenant')
if not tenant then
  return {0}
end
if tenant ~= ARGV[1] then
  return {-1}
end
local state = redis.call('HMGET', KEYS[1], 'version', 'size')
local version = tonumber(state[1])
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= version then
  return {-2, version}
end
-- size = the sum over members of #name + 1 (colon) + #value + 1 (comma or closing brace); the data is '{' .. '}'
local size = tonumber(state[2])
for i = 4, #ARGV, 4 do
  local kind, field, value, expected = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local current = redis.call('HGET', KEYS[1], field)
  if (kind == 'C' and current ~= expected) or (kind == 'A' and current) then
    return {-3}
  end
  if current then
    size = size - (#field - 2 + #current + 2)
  end
  if kind ~= 'D' then
    size = size + (#field - 2 + #value + 2)
  end
end
local bytes = size + 1
if size == 0 then
  bytes = 2
end
if bytes > tonumber(ARGV[3]) then
  return {-4, bytes}
end
if #ARGV < 4 then
  return {1, version}
end
for i = 4, #ARGV, 4 do
  if ARGV[i] == 'D' then
    redis.call('HDEL', KEYS[1], ARGV[i + 1])
  else
    redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
  end
end
version = version + 1
redis.call('HSET', KEYS[1], 'version', version, 'size', size)
return {1, version}
