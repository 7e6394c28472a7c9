#!lua
--[[
list_remove.lua — remove one value of a shared list: the one at an index (List.remove(int), Python
pop(i)) or the first equal to a value (List.remove(Object), Python remove(x)).

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  values       forklift:{m:M/N}:list
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  'index' or 'value'
ARGV[4]  the index, or the value's JSON

Returns: 'index': the removed value; 'value': 1 if a value was removed, else 0.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>, RANGE <size>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { 'list' })
checkFence(KEYS[3], ARGV[1], ARGV[2])
if ARGV[3] == 'value' then return redis.call('LREM', KEYS[2], 1, ARGV[4]) end
local at, size = tonumber(ARGV[4]), redis.call('LLEN', KEYS[2])
if at < 0 or at >= size then return redis.error_reply('RANGE ' .. size) end
local old = redis.call('LINDEX', KEYS[2], at)
-- A mark no JSON value can equal, so LREM removes exactly this slot.
local mark = '\0forklift:removed'
redis.call('LSET', KEYS[2], at, mark)
redis.call('LREM', KEYS[2], 1, mark)
return old
