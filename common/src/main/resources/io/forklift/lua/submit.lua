#!lua
--[[
submit.lua — store a batch of tasks and make them ready, in order. One round trip per batch.

KEYS[1]  ready list      forklift:{q}:ready     (task ids, FIFO)
KEYS[2]  messages hash   forklift:{q}:msgs      (task id -> task message JSON, until the task ends)
KEYS[3]  wake list       forklift:{q}:wake      (one token wakes one idle worker)
ARGV[1]  mode: 'new', or 'retry' when a round trip that may have stored some of these tasks failed
         (then a task whose message is already stored is skipped, so it is not made ready twice)
ARGV[2…] pairs: task id, task message JSON

Returns: the number of tasks stored.
Errors:  a Redis over maxmemory refuses the whole script before it writes anything (OOM).
]]
--@include wake

local retry = ARGV[1] == 'retry'
local fields, ids = {}, {}
for i = 2, #ARGV, 2 do
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
for i = 1, #ids, step do
  redis.call('RPUSH', KEYS[1], unpack(ids, i, math.min(i + step - 1, #ids)))
end
wakeIfReady(KEYS[1], KEYS[3])
return #ids
