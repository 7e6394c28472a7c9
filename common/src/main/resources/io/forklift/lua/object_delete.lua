#!lua
--[[
object_delete.lua — delete one shared object: its meta hash and every key it may have. Values in
the processing lists of takers (forklift:{m:M/N}:taking:<taker>) go with it. A proxy still held
somewhere then gets NOOBJECT from its next write.

KEYS[1]  meta hash     forklift:{m:M/N}:meta
KEYS[2]  takers zset   forklift:{m:M/N}:takers  (its members name the processing lists to delete)
KEYS[3…] every other key an object may have (items, room, done, hash, list, value, set, fences,
         holds, the pipe's to:/wake: lists)
ARGV[1]  processing list prefix, forklift:{m:M/N}:taking:

Returns: the kind the object had, or false when there was none.
]]
local kind = redis.call('HGET', KEYS[1], 'kind')
for _, taker in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  redis.call('DEL', ARGV[1] .. taker)
end
redis.call('DEL', unpack(KEYS))
return kind or false
