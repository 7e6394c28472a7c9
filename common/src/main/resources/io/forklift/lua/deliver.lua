#!lua
--[[
deliver.lua — deliver failure replies that scripts owed to clients (tasks dead-lettered inside a
script: too large, lease ran out too often), now signed by a daemon that holds the authkey. Each is
delivered once: an id no longer in the unreplied hash was delivered by another daemon already.

KEYS[1]  unreplied hash  forklift:{q}:unreplied  (task id -> { client, error, worker, attempt })
ARGV[1]  results key prefix (forklift:{q}:results:); the reply also goes to the hash of the current minute
ARGV[2]  reply key prefix   (forklift:{q}:reply:)
ARGV[3]  result TTL, ms
ARGV[4…] triples: task id, client id, reply (signed)

Returns: the number of replies delivered.
]]
--@include now_ms

local delivered = 0
local bucket = ARGV[1] .. math.floor(nowMs() / 60000)
for i = 4, #ARGV, 3 do
  local id, client, reply = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('HDEL', KEYS[1], id) == 1 then
    redis.call('HSET', bucket, id, reply)
    local list = ARGV[2] .. client
    redis.call('RPUSH', list, reply)
    redis.call('PEXPIRE', list, ARGV[3])
    delivered = delivered + 1
  end
end
if delivered > 0 then redis.call('PEXPIRE', bucket, tonumber(ARGV[3]) + 60000) end
return delivered
