#!lua
--[[
value_set.lua — write a shared value: set (returning the previous one) or compare-and-set.

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  value        forklift:{m:M/N}:value  (string: the value as JSON)
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  mode: 'set', or 'equal' to write only if the current JSON is ARGV[4]
ARGV[4]  the expected current value (mode 'equal'), else ''
ARGV[5]  the new value, JSON

Returns: 'set': the previous value (false if none); 'equal': 1 when it wrote, 0 when not.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { 'value' })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local old = redis.call('GET', KEYS[2])
if ARGV[3] == 'equal' then
  if old ~= ARGV[4] then return 0 end
  redis.call('SET', KEYS[2], ARGV[5])
  return 1
end
redis.call('SET', KEYS[2], ARGV[5])
return old
