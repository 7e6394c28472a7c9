#!lua
--[[
queue_take.lua — take up to n values from the head of a shared queue into the taker's own
processing list, so a taker that dies before it acknowledges (queue_ack.lua) loses nothing: once
its deadline passes, the next take puts its values back at the head. Finds the queue empty: the
taker is registered all the same, since it is about to block (BLMOVE items -> its processing list),
unless it says it will not block (a get_nowait, a parked HTTP get's try), which then leaves nothing.

KEYS[1]  meta hash   forklift:{m:M/N}:meta
KEYS[2]  items list  forklift:{m:M/N}:items
KEYS[3]  takers zset forklift:{m:M/N}:takers  (taker id -> deadline, ms, Redis clock)
KEYS[4]  room flag   forklift:{m:M/N}:room
ARGV[1]  taker id (unique per take call)
ARGV[2]  most values to take (0: only register, the caller blocks next)
ARGV[3]  processing list prefix, forklift:{m:M/N}:taking:
ARGV[4]  the taker's deadline from now, ms: how long it may take to acknowledge, blocking included
ARGV[5]  most expired takers to put back in this call
ARGV[6]  '1' when the taker will not block on an empty queue: register it only if it took values

Publishes: the items key on <prefix>ready when it put values back, with how many (includes/ready.lua).
Returns: the values taken, JSON, oldest first (empty when the queue is empty).
Errors:  NOOBJECT (deleted), WRONGKIND <kind>.
]]
--@include object_kind
--@include now_ms
--@include state_list
--@include room
--@include ready

local maxsize = tonumber(useObject(KEYS[1], { 'queue', 'joinable' }, 'maxsize') or '0')
local now = nowMs()
-- Put back what takers that never acknowledged hold, at the head, in their order.
for _, taker in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
  local held = ARGV[3] .. taker
  local values = redis.call('LRANGE', held, 0, -1)
  for i = #values, 1, -1 do redis.call('LPUSH', KEYS[2], values[i]) end
  redis.call('DEL', held)
  redis.call('ZREM', KEYS[3], taker)
  if #values > 0 then ready(KEYS[2], #values) end
end
local n = tonumber(ARGV[2])
local taken = n > 0 and redis.call('LPOP', KEYS[2], n)
if (taken or ARGV[6] ~= '1') then redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[1]) end
if not taken then return {} end
redis.call('RPUSH', ARGV[3] .. ARGV[1], unpack(taken))
markRoom(maxsize, KEYS[2], KEYS[4])
return taken
