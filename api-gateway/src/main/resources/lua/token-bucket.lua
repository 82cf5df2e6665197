-- Per-tenant token bucket, one atomic step per request (docs/api.md §4: apiCallsPerMinute).
-- KEYS[1] the tenant's bucket, KEYS[2] the tenant's API-call counter for the current minute (metering)
-- ARGV[1] capacity = the tenant's apiCallsPerMinute; the bucket refills continuously at capacity per minute
-- Returns {allowed (1/0), capacity, remaining tokens (floor), ms until full, ms until the next token if refused}
local capacity = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if capacity <= 0 then
  return {0, 0, 0, 60000, 60000}
end
local rate = capacity / 60000.0 -- tokens per millisecond
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local last = tonumber(state[2])
if tokens == nil or last == nil then
  tokens = capacity
  last = now
end
-- Refill for the time elapsed; never above the capacity, which also clamps a bucket whose limit was lowered.
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], 180)
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 60000)
local untilFull = math.ceil((capacity - tokens) / rate)
return {allowed, capacity, math.floor(tokens), untilFull, retry}
