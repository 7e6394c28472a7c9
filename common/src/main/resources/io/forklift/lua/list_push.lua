#!lua
--[[
list_push.lua — add values to a shared list: at its end (List.add, addAll, Python append/extend)
or before index i (List.add(i, v), Python insert).

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  values       forklift:{m:M/N}:list
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  index to insert before, or '' to append; 0 <= index <= size
ARGV[4…] the values, JSON

Returns: the list's new size.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>, RANGE <size> (index out of range).
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { 'list' })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local size = redis.call('LLEN', KEYS[2])
local step = 4000 -- unpack() is bounded by Lua's C stack
if ARGV[3] == '' then
  for i = 4, #ARGV, step do size = redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + step - 1, #ARGV))) end
  return size
end
local at = tonumber(ARGV[3])
if at < 0 or at > size then return redis.error_reply('RANGE ' .. size) end
local tail = redis.call('LRANGE', KEYS[2], at, -1)
if at == 0 then redis.call('DEL', KEYS[2]) else redis.call('LTRIM', KEYS[2], 0, at - 1) end
for i = 4, #ARGV, step do redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + step - 1, #ARGV))) end
for i = 1, #tail, step do size = redis.call('RPUSH', KEYS[2], unpack(tail, i, math.min(i + step - 1, #tail))) end
return redis.call('LLEN', KEYS[2])
