#!lua
--[[
dict_remove.lua — remove an entry of a shared dict or namespace, as ConcurrentMap's remove(key)
and remove(key, value).

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  entries      forklift:{m:M/N}:hash
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  kind the caller holds: dict or namespace
ARGV[4]  key (JSON text)
ARGV[5]  '' to remove whatever is there, else remove only if the value's JSON is ARGV[6]
ARGV[6]  the expected value

Returns: without ARGV[5], the removed value (false when absent); with it, 1 if removed, else 0.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { ARGV[3] })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local old = redis.call('HGET', KEYS[2], ARGV[4])
if ARGV[5] ~= '' then
  if old ~= ARGV[6] then return 0 end
  redis.call('HDEL', KEYS[2], ARGV[4])
  return 1
end
if old then redis.call('HDEL', KEYS[2], ARGV[4]) end
return old
