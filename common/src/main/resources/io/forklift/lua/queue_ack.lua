#!lua
--[[
queue_ack.lua — a taker acknowledges the values in its processing list: they are taken for good.
If its deadline passed and another take already put them back, they are not its own any more and
the caller must drop them (reply 0), so no value is ever taken twice.

KEYS[1]  meta hash        forklift:{m:M/N}:meta
KEYS[2]  items list       forklift:{m:M/N}:items
KEYS[3]  takers zset      forklift:{m:M/N}:takers
KEYS[4]  room flag        forklift:{m:M/N}:room
KEYS[5]  processing list  forklift:{m:M/N}:taking:<taker>
ARGV[1]  taker id

Returns: 1 when the values were still the taker's (now taken), 0 when they had been put back.
]]
--@include state_list
--@include room

redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('DEL', KEYS[5]) == 0 then return 0 end
markRoom(tonumber(redis.call('HGET', KEYS[1], 'maxsize') or '0'), KEYS[2], KEYS[4])
return 1
