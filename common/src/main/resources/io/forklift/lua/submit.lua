#!lua
--[[
submit.lua — store a batch of tasks and make them ready, in order.

KEYS[1]  ready list     forklift:{q}:ready   (task ids, FIFO)
KEYS[2]  wake list      forklift:{q}:wake    (one token wakes one idle worker)
ARGV[1]  task key prefix (forklift:{q}:task:)
ARGV[2…] triples: task id, submitting client id, task message JSON

Returns: the number of tasks stored.
Errors:  none of its own; a Redis over maxmemory rejects the whole script before it writes (OOM).
]]
local prefix = ARGV[1]
local ids = {}
for i = 2, #ARGV, 3 do
  local id = ARGV[i]
  redis.call('HSET', prefix .. id, 'msg', ARGV[i + 2], 'client', ARGV[i + 1], 'state', 'ready', 'attempt', 0)
  ids[#ids + 1] = id
end
if #ids > 0 then
  redis.call('RPUSH', KEYS[1], unpack(ids))
  if redis.call('LLEN', KEYS[2]) == 0 then redis.call('RPUSH', KEYS[2], '1') end
end
return #ids
