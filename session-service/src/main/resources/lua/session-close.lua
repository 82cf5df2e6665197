-- Removes a session from Redis if it is the caller's tenant's (PostgreSQL has already recorded it closed).
-- KEYS[1] the session's hash; ARGV[1] the caller's tenant. Returns 1 (removed) or 0.
if redis.call('HGET', KEYS[1], 'tenant') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
