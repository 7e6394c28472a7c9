#!lua
--[[
object_open.lua — create a shared object of a manager, or open the one that exists. One object's
keys share the hash tag {m:<manager>/<name>}, so this touches one slot. The manager's registry
(manager:<m>) lives in another slot and is written by the client after this succeeds.

KEYS[1]  meta hash     forklift:{m:M/N}:meta   (kind, settings such as maxsize, duplex, lease, length)
KEYS[2]  data key      forklift:{m:M/N}:list or :value  (gets ARGV[5…] when the object is created)
KEYS[3]  state list    forklift:{m:M/N}:room or :done   (seeded with one element when created)
ARGV[1]  kind: queue, joinable, pipe, dict, list, namespace, value, array, event
ARGV[2]  how to write the initial values ARGV[5…] into KEYS[2]: 'list' (RPUSH), 'string' (SET), '' none
ARGV[3]  '1' to seed KEYS[3] (a bounded queue's room flag, a joinable queue's done flag), else '0'
ARGV[4]  n, the number of setting pairs that follow
ARGV[5…] n pairs: setting name, value (stored in the meta hash on creation only); then the initial values

Returns: { created (1 or 0), field, value, … } the meta hash as stored (HGETALL).
Errors:  WRONGKIND <kind>  the name holds an object of another kind; nothing is changed.
]]
local have = redis.call('HGET', KEYS[1], 'kind')
if have and have ~= ARGV[1] then return redis.error_reply('WRONGKIND ' .. have) end
local created = 0
if not have then
  created = 1
  local n = tonumber(ARGV[4])
  local meta = { 'kind', ARGV[1] }
  for i = 5, 4 + 2 * n do meta[#meta + 1] = ARGV[i] end
  redis.call('HSET', KEYS[1], unpack(meta))
  local first = 5 + 2 * n
  if ARGV[2] == 'list' and #ARGV >= first then
    local step = 4000 -- unpack() is bounded by Lua's C stack
    for i = first, #ARGV, step do redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + step - 1, #ARGV))) end
  elseif ARGV[2] == 'string' and #ARGV >= first then
    redis.call('SET', KEYS[2], ARGV[first])
  end
  if ARGV[3] == '1' then redis.call('RPUSH', KEYS[3], '1') end
end
local out = { created }
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do out[#out + 1] = v end
return out
