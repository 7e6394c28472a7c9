#!lua
--[[
queue_delete.lua — deletes the keys of one queue that have fixed names (`forklift queue delete`),
refusing, unless forced, while the queue holds tasks ready (in the ready list or a capped pool's
lane), leased or waiting to be retried: a
submit or a claim between a check and a delete made by the caller could otherwise be lost. Every
other key under the queue's hash tag (done, results, reply) is removed by the caller afterwards.

KEYS[1]  ready list      forklift:{q}:ready
KEYS[2]  in-flight zset  forklift:{q}:inflight
KEYS[3]  delayed zset    forklift:{q}:delayed
KEYS[4]  lanes list      forklift:{q}:lanes     (capped pools whose lane, forklift:{q}:lanes:<pool>, holds tasks)
KEYS[5..n]  every other fixed key of the queue (msgs, attempts, running, owners, fences, meta,
         wake, dead, unreplied)
ARGV[1]  1 to delete even with tasks in it, 0 to refuse

Returns: { 1 if deleted (0 if refused), tasks ready, tasks leased, tasks delayed }
]]
local ready = redis.call('LLEN', KEYS[1])
local lanes = {}
for _, pool in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do
  local lane = KEYS[4] .. ':' .. pool
  lanes[#lanes + 1] = lane
  ready = ready + redis.call('LLEN', lane)
end
local leased = redis.call('ZCARD', KEYS[2])
local delayed = redis.call('ZCARD', KEYS[3])
if ARGV[1] ~= '1' and ready + leased + delayed > 0 then return { 0, ready, leased, delayed } end
redis.call('DEL', unpack(KEYS))
if #lanes > 0 then redis.call('DEL', unpack(lanes)) end
return { 1, ready, leased, delayed }
