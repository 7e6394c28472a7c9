#!lua
--[[
list_reverse.lua — reverse a shared list in place, atomically (Python list.reverse()).

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  values       forklift:{m:M/N}:list
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token

Returns: the list's size.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { 'list' })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local values = redis.call('LRANGE', KEYS[2], 0, -1)
if #values < 2 then return #values end
redis.call('DEL', KEYS[2])
local step = 4000 -- unpack() is bounded by Lua's C stack
local reversed = {}
for i = #values, 1, -1 do reversed[#reversed + 1] = values[i] end
for i = 1, #reversed, step do redis.call('RPUSH', KEYS[2], unpack(reversed, i, math.min(i + step - 1, #reversed))) end
return #values
