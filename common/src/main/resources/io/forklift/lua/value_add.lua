#!lua
--[[
value_add.lua — add to a numeric shared value atomically (addAndGet): INCRBY for whole numbers,
INCRBYFLOAT for fractions.

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  value        forklift:{m:M/N}:value
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  the delta
ARGV[4]  'int' or 'float'

Returns: the new value, as text (JSON number).
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>, NOTNUMBER <value> (the value is not a number
         of that sort).
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { 'value' })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local current = redis.call('GET', KEYS[2]) or '0'
if ARGV[4] == 'int' then
  if not string.match(current, '^%-?%d+$') then return redis.error_reply('NOTNUMBER ' .. string.sub(current, 1, 100)) end
  return tostring(redis.call('INCRBY', KEYS[2], ARGV[3]))
end
if not tonumber(current) then return redis.error_reply('NOTNUMBER ' .. string.sub(current, 1, 100)) end
return redis.call('INCRBYFLOAT', KEYS[2], ARGV[3])
