#!lua
--[[
queue_put.lua — put values at the tail of a shared queue, as many as its maxsize leaves room for
(all of them when it has none). A joinable queue counts each as unfinished.

KEYS[1]  meta hash   forklift:{m:M/N}:meta   (kind queue or joinable; maxsize, 0 = none; unfinished)
KEYS[2]  items list  forklift:{m:M/N}:items  (values as JSON, FIFO)
KEYS[3]  room flag   forklift:{m:M/N}:room   (state list: one element while there is room)
KEYS[4]  done flag   forklift:{m:M/N}:done   (state list: one element while nothing is unfinished)
ARGV[1…] the values, JSON

Publishes: the items key on <prefix>ready when it put any, with how many wait now (includes/ready.lua).
Returns: how many values were put, from the first on (0 when the queue is full).
Errors:  NOOBJECT (deleted), WRONGKIND <kind>.
]]
--@include object_kind
--@include state_list
--@include room
--@include ready

local maxsize = tonumber(useObject(KEYS[1], { 'queue', 'joinable' }, 'maxsize') or '0')
local n = #ARGV
if maxsize > 0 then
  local room = maxsize - redis.call('LLEN', KEYS[2])
  if room < n then n = math.max(room, 0) end
end
if n == 0 then return 0 end
local step = 4000 -- unpack() is bounded by Lua's C stack
for i = 1, n, step do redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + step - 1, n))) end
markRoom(maxsize, KEYS[2], KEYS[3])
ready(KEYS[2], redis.call('LLEN', KEYS[2]))
if redis.call('HGET', KEYS[1], 'kind') == 'joinable' then
  redis.call('HINCRBY', KEYS[1], 'unfinished', n)
  setState(KEYS[4], false)
end
return n
