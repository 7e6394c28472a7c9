#!lua
--[[
submit.lua — store a batch of tasks and make them ready, in order. One round trip per batch.

KEYS[1]  ready list      forklift:{q}:ready     (task ids, FIFO)
KEYS[2]  messages hash   forklift:{q}:msgs      (task id -> task message JSON, until the task ends)
KEYS[3]  wake list       forklift:{q}:wake      (one token wakes one idle worker)
KEYS[4]  lanes list      forklift:{q}:lanes     (capped pools whose lane holds tasks)
KEYS[5]  pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  mode: 'new', or 'retry' when a round trip that may have stored some of these tasks failed
         (then a task whose message is already stored is skipped, so it is not made ready twice)
ARGV[2]  the tasks' pool id when it has a cap of its own (they wait in its lane, forklift:{q}:lanes:<pool>);
         '' for none (the ready list)
ARGV[3…] pairs: task id, task message JSON

Returns: the number of tasks stored.
Errors:  a Redis over maxmemory refuses the whole script before it writes anything (OOM).
]]
--@include wake

local retry = ARGV[1] == 'retry'
local fields, ids = {}, {}
for i = 3, #ARGV, 2 do
  if not retry or redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then
    fields[#fields + 1] = ARGV[i]
    fields[#fields + 1] = ARGV[i + 1]
    ids[#ids + 1] = ARGV[i]
  end
end
if #ids == 0 then return 0 end
local step = 4000 -- unpack() is bounded by Lua's C stack
for i = 1, #fields, step do
  redis.call('HSET', KEYS[2], unpack(fields, i, math.min(i + step - 1, #fields)))
end
local pool = ARGV[2] ~= '' and ARGV[2] or nil
local list = KEYS[1]
if pool then
  list = KEYS[4] .. ':' .. pool
  if redis.call('LLEN', list) == 0 then redis.call('RPUSH', KEYS[4], pool) end
end
local idStep = pool and step / 2 or step -- a pool's ids go out in pairs (id, pool) too
for i = 1, #ids, idStep do
  local last = math.min(i + idStep - 1, #ids)
  redis.call('RPUSH', list, unpack(ids, i, last))
  if pool then
    local owned = {}
    for j = i, last do
      owned[#owned + 1] = ids[j]
      owned[#owned + 1] = pool
    end
    redis.call('HSET', KEYS[5], unpack(owned))
  end
end
wakeIfReady(KEYS[1], KEYS[3], KEYS[4])
return #ids
