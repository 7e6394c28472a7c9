#!lua
--[[
claim.lua — lease up to N ready tasks to one worker. One round trip per batch.

KEYS[1]  ready list      forklift:{q}:ready
KEYS[2]  in-flight zset  forklift:{q}:inflight  (task id -> lease deadline, ms, Redis clock)
KEYS[3]  meta hash       forklift:{q}:meta      (field concurrency: cluster-wide cap; absent = none)
KEYS[4]  wake list       forklift:{q}:wake
KEYS[5]  messages hash   forklift:{q}:msgs
KEYS[6]  attempts hash   forklift:{q}:attempts  (task id -> runs started)
KEYS[7]  owners hash     forklift:{q}:owners    (task id -> "<attempt>:<worker id>", the lease holder)
ARGV[1]  most tasks to claim (the worker's idle children)
ARGV[2]  worker id
ARGV[3]  lease length, ms

Returns: flat array of triples: task id, attempt number (1 on the first run), task message JSON.
         Ids without a message (withdrawn) are dropped.
Side effect: if ready tasks remain, leaves a wake token so another idle worker takes them.
]]
local n = tonumber(ARGV[1])
local limit = tonumber(redis.call('HGET', KEYS[3], 'concurrency') or '0')
if limit > 0 then
  local room = limit - redis.call('ZCARD', KEYS[2])
  if room < n then n = room end
end
if n <= 0 then return {} end

local ids = redis.call('LPOP', KEYS[1], n)
if not ids then return {} end
local msgs = redis.call('HMGET', KEYS[5], unpack(ids))

local now = redis.call('TIME')
local deadline = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[3])
local out, leases, owners = {}, {}, {}
for i, id in ipairs(ids) do
  local msg = msgs[i]
  if msg then
    local attempt = redis.call('HINCRBY', KEYS[6], id, 1)
    leases[#leases + 1] = deadline
    leases[#leases + 1] = id
    owners[#owners + 1] = id
    owners[#owners + 1] = attempt .. ':' .. ARGV[2]
    out[#out + 1] = id
    out[#out + 1] = attempt
    out[#out + 1] = msg
  end
end
if #leases > 0 then
  redis.call('ZADD', KEYS[2], unpack(leases))
  redis.call('HSET', KEYS[7], unpack(owners))
end
if redis.call('LLEN', KEYS[1]) > 0 and redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('RPUSH', KEYS[4], '1')
end
return out
