#!lua
--[[
dead_retry.lua — give dead-lettered tasks another run: each record's stored message goes back into
the queue with its attempts reset, at the front of the ready list.

KEYS[1]  dead list       forklift:{q}:dead     (dead-letter records, JSON, oldest first)
KEYS[2]  ready list      forklift:{q}:ready
KEYS[3]  messages hash   forklift:{q}:msgs
KEYS[4]  attempts hash   forklift:{q}:attempts
KEYS[5]  wake list       forklift:{q}:wake
ARGV[1]  most records to retry

Returns: { records retried, records kept (no stored message to run: left at the end of the dead list) }
]]
--@include wake

local retried, kept = 0, 0
for _ = 1, tonumber(ARGV[1]) do
  local raw = redis.call('LPOP', KEYS[1])
  if not raw then break end
  local ok, record = pcall(cjson.decode, raw)
  if ok and type(record) == 'table' and type(record.id) == 'string' and type(record.message) == 'string' and record.message ~= '' then
    redis.call('HSET', KEYS[3], record.id, record.message)
    redis.call('HDEL', KEYS[4], record.id)
    redis.call('LPUSH', KEYS[2], record.id)
    retried = retried + 1
  else
    redis.call('RPUSH', KEYS[1], raw)
    kept = kept + 1
  end
end
if retried > 0 then wakeIfReady(KEYS[2], KEYS[5]) end
return { retried, kept }
