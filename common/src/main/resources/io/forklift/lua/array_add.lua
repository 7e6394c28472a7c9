#!lua
--[[
array_add.lua — add to one element of a shared array atomically, within the range of its type.

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  elements     forklift:{m:M/N}:list  (fixed length, numbers as JSON)
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  index
ARGV[4]  the delta
ARGV[5]  smallest value the element's type holds
ARGV[6]  largest value the element's type holds
ARGV[7]  'int' (a whole number) or 'float'

Returns: the new value, as text.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>, RANGE <length>, OVERFLOW <value> (nothing written).
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { 'array' })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local at, size = tonumber(ARGV[3]), redis.call('LLEN', KEYS[2])
if at < 0 or at >= size then return redis.error_reply('RANGE ' .. size) end
local v = (tonumber(redis.call('LINDEX', KEYS[2], at)) or 0) + tonumber(ARGV[4])
if v < tonumber(ARGV[5]) or v > tonumber(ARGV[6]) then return redis.error_reply('OVERFLOW ' .. v) end
local text = ARGV[7] == 'int' and string.format('%d', v) or string.format('%.17g', v)
redis.call('LSET', KEYS[2], at, text)
return text
