#!lua
--[[
list_set.lua — replace the value at an index of a shared list or array (List.set, a[i] = v).

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  values       forklift:{m:M/N}:list
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  kind the caller holds: list or array
ARGV[4]  index, 0 <= index < size
ARGV[5]  the value, JSON

Returns: the previous value.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>, RANGE <size>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { ARGV[3] })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local at, size = tonumber(ARGV[4]), redis.call('LLEN', KEYS[2])
if at < 0 or at >= size then return redis.error_reply('RANGE ' .. size) end
local old = redis.call('LINDEX', KEYS[2], at)
redis.call('LSET', KEYS[2], at, ARGV[5])
return old
