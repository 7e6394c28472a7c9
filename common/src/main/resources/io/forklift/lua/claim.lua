#!lua
--[[
claim.lua — move up to N ready tasks into the in-flight set, leased to one worker.

KEYS[1]  ready list       forklift:{q}:ready
KEYS[2]  in-flight zset   forklift:{q}:inflight   (task id -> lease deadline, ms since epoch, Redis clock)
KEYS[3]  queue meta hash  forklift:{q}:meta       (field concurrency: cluster-wide cap, 0 or absent = none)
KEYS[4]  wake list        forklift:{q}:wake
ARGV[1]  task key prefix  (forklift:{q}:task:)
ARGV[2]  most tasks to claim (the worker's idle children)
ARGV[3]  worker id
ARGV[4]  lease length, ms

Returns: flat array of triples: task id, attempt number (1 on the first run), task message JSON.
         Ids whose task hash is gone (cancelled, expired) are dropped.
Side effect: if ready tasks remain, leaves a wake token so another idle worker takes them.
]]
local n = tonumber(ARGV[2])
local limit = tonumber(redis.call('HGET', KEYS[3], 'concurrency') or '0')
if limit > 0 then
  local room = limit - redis.call('ZCARD', KEYS[2])
  if room < n then n = room end
end
if n <= 0 then return {} end

local ids = redis.call('LPOP', KEYS[1], n)
if not ids then return {} end

local now = redis.call('TIME')
local deadline = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[4])
local out = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. id
  local msg = redis.call('HGET', key, 'msg')
  if msg then
    local attempt = redis.call('HINCRBY', key, 'attempt', 1)
    redis.call('HSET', key, 'state', 'running', 'worker', ARGV[3])
    redis.call('ZADD', KEYS[2], deadline, id)
    out[#out + 1] = id
    out[#out + 1] = attempt
    out[#out + 1] = msg
  end
end
if redis.call('LLEN', KEYS[1]) > 0 and redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('RPUSH', KEYS[4], '1')
end
return out
