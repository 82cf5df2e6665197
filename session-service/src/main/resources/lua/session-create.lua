-- Writes a whole session unless its key exists: a new session, or one restored from PostgreSQL after a Redis flush
-- or restart (two replicas restoring the same session at once write it once).
-- KEYS[1] the session's hash; ARGV[1] its time to live (ms); ARGV[2..] field, value pairs
-- Returns 1 (written) or 0 (it already existed; nothing changed)
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
-- One HSET per pair: a session may have thousands of data members, more than Lua can unpack into one call.
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
