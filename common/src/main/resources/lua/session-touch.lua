-- One use of a session (docs/api.md §4): record the channel, slide the expiry. Shared by the gateway (every request
-- carrying X-Nexus-Session) and session-service, so that both mean the same thing by "a use".
-- KEYS[1] the session's hash, KEYS[2] the set of sessions changed since the last write-behind to PostgreSQL
-- ARGV[1] the caller's tenant id, ARGV[2] the channel (api|cli|mcp), ARGV[3] now (epoch ms), ARGV[4] the session id,
-- ARGV[5] (optional) 'read': also answer the whole hash, so that a read is one step
-- Returns 1 (touched), 0 (not in Redis: expired, closed, unknown, or lost in a flush), -1 (another tenant's);
-- with 'read', {that status, the hash's fields and values flattened} (an empty hash unless touched)
local read = ARGV[5] == 'read'
local tenant = redis.call('HGET', KEYS[1], 'tenant')
if not tenant or tenant ~= ARGV[1] then
  local status = -1
  if not tenant then
    status = 0
  end
  if read then
    return {status, {}}
  end
  return status
end
local state = redis.call('HMGET', KEYS[1], 'channels', 'ttl')
local channels = state[1] or ''
if string.find(',' .. channels .. ',', ',' .. ARGV[2] .. ',', 1, true) == nil then
  if channels == '' then
    channels = ARGV[2]
  else
    channels = channels .. ',' .. ARGV[2]
  end
  redis.call('HSET', KEYS[1], 'channels', channels, 'activity', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'activity', ARGV[3])
end
redis.call('PEXPIRE', KEYS[1], tonumber(state[2]) * 1000)
redis.call('SADD', KEYS[2], ARGV[4])
if read then
  return {1, redis.call('HGETALL', KEYS[1])}
end
return 1
