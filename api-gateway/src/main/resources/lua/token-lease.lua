-- Per-tenant token bucket, leased in batches (docs/api.md §2.8, mode "leased"). The same bucket as token-bucket.lua
-- (same key and fields, so replicas in either mode share it); a replica takes what its waiting requests need now plus
-- a few spare tokens, gives back what it did not spend, and reports the calls it admitted from its spare tokens.
-- KEYS[1] the tenant's bucket
-- KEYS[2] the API-call counter of the minute in which the reported spare-token calls were admitted (metering)
-- KEYS[3] the API-call counter of the current minute (for the requests admitted by this step)
-- ARGV[1] capacity = the tenant's apiCallsPerMinute; the bucket refills continuously at capacity per minute
-- ARGV[2] tokens wanted: the waiting requests' plus spare ones (0: only give back and report)
-- ARGV[3] tokens given back (not spent)
-- ARGV[4] calls admitted from spare tokens, to meter under KEYS[2]
-- ARGV[5] requests waiting for this answer: the first min(granted, ARGV[5]) are admitted and metered now
-- Returns {tokens granted, capacity, remaining tokens (floor), ms until full, ms until the next token if none granted}
local capacity = tonumber(ARGV[1])
local wanted = tonumber(ARGV[2])
local returned = tonumber(ARGV[3])
local spent = tonumber(ARGV[4])
local waiting = tonumber(ARGV[5])
if spent > 0 then
  redis.call('INCRBY', KEYS[2], spent)
  redis.call('EXPIRE', KEYS[2], 180)
end
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
-- Refill and take back; never above the capacity, which also clamps a bucket whose limit was lowered.
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate + returned)
local granted = math.min(wanted, math.floor(tokens))
tokens = tokens - granted
local admitted = math.min(granted, waiting)
if admitted > 0 then
  redis.call('INCRBY', KEYS[3], admitted)
  redis.call('EXPIRE', KEYS[3], 180)
end
local retry = 0
if granted < waiting then
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 60000)
local untilFull = math.ceil((capacity - tokens) / rate)
return {granted, capacity, math.floor(tokens), untilFull, retry}
