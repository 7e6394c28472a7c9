#!lua
--[[
dict_put.lua — write entries of a shared dict or namespace (a hash: key as JSON text -> value as
JSON), as ConcurrentMap's put, putIfAbsent, replace and replace(key, old, new).

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  entries      forklift:{m:M/N}:hash
KEYS[3]  fences hash  forklift:{m:M/N}:fences  (lock name -> highest fencing token written with)
ARGV[1]  lock name of a fenced write, '' for none (the fence slot; see includes/fence.lua)
ARGV[2]  its fencing token ('' for none)
ARGV[3]  kind the caller holds: dict or namespace
ARGV[4]  mode: 'always', 'absent' (only if the key is absent), 'present' (only if present),
         'equal' (only if the current value's JSON is ARGV[5])
ARGV[5]  the expected current value (mode 'equal'), else ''
ARGV[6…] pairs: key, value

Returns: for one pair, the previous value (false when absent) in every mode but 'equal', which
         returns 1 when it wrote, 0 when not; for several pairs (mode 'always'), their number.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { ARGV[3] })
checkFence(KEYS[3], ARGV[1], ARGV[2])
local mode = ARGV[4]
if #ARGV > 7 then
  local step = 4000 -- unpack() is bounded by Lua's C stack
  for i = 6, #ARGV, step do redis.call('HSET', KEYS[2], unpack(ARGV, i, math.min(i + step - 1, #ARGV))) end
  return (#ARGV - 5) / 2
end
local old = redis.call('HGET', KEYS[2], ARGV[6])
if mode == 'equal' then
  if old ~= ARGV[5] then return 0 end
  redis.call('HSET', KEYS[2], ARGV[6], ARGV[7])
  return 1
end
if (mode == 'absent' and old) or (mode == 'present' and not old) then return old end
redis.call('HSET', KEYS[2], ARGV[6], ARGV[7])
return old
