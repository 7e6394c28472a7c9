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
KEYS[8]  dead list       forklift:{q}:dead      (dead-letter records, JSON)
ARGV[1]  most tasks to claim (the worker's idle children)
ARGV[2]  worker id
ARGV[3]  lease length, ms
ARGV[4]  largest task message the worker accepts, bytes (its --max-payload)
ARGV[5]  queue name (for the dead-letter record)
ARGV[6]  reply key prefix (forklift:{q}:reply:)
ARGV[7]  result TTL, ms

Returns: flat array of triples: task id, attempt number (1 on the first run), task message JSON.
         Ids without a message (withdrawn) are dropped. A message over ARGV[4] bytes (written
         around the client's own limit) is never returned, so no worker reads it into its heap: it
         is dead-lettered here with reason too_large and dropped, and a failure reply goes to the
         client named by its id (Forklift's ids are "<client id>-<sequence>"; the message itself
         is not read to find it).
Side effect: if ready tasks remain, leaves a wake token so another idle worker takes them.
]]
local n = tonumber(ARGV[1])
local limit = tonumber(redis.call('HGET', KEYS[3], 'concurrency') or '0')
if limit > 0 then
  local room = limit - redis.call('ZCARD', KEYS[2])
  if room < n then n = room end
end
if n <= 0 then return {} end

local popped = redis.call('LPOP', KEYS[1], n)
if not popped then return {} end

local function tooLarge(id, size)
  redis.call('HDEL', KEYS[5], id)
  local attempt = tonumber(redis.call('HGET', KEYS[6], id) or '0') + 1
  redis.call('HDEL', KEYS[6], id)
  local error = { type = 'io.forklift.InvalidTaskException', -- no stack: cjson writes an empty table as {}
    message = 'task ' .. id .. " in queue '" .. ARGV[5] .. "' is " .. size .. ' bytes, over the limit of ' .. ARGV[4]
      .. ' bytes of worker ' .. ARGV[2] .. ' (--max-payload); its message was dropped unread, not kept in this record.'
      .. ' Pass large data by reference (a URL or a key)' }
  redis.call('RPUSH', KEYS[8], cjson.encode({ id = id, queue = ARGV[5], reason = 'too_large', error = error,
    message = '', worker = ARGV[2], attempt = attempt }))
  local client = string.match(id, '^(.+)%-[^-]+$')
  if client then
    local replies = ARGV[6] .. client
    redis.call('RPUSH', replies, cjson.encode({ id = id, ok = false, error = error, worker = ARGV[2], attempt = attempt }))
    redis.call('PEXPIRE', replies, ARGV[7])
  end
end

local maxBytes = tonumber(ARGV[4])
local ids = {}
for _, id in ipairs(popped) do
  local size = redis.call('HSTRLEN', KEYS[5], id)
  if size > maxBytes then tooLarge(id, size) else ids[#ids + 1] = id end
end
local msgs = {}
if #ids > 0 then msgs = redis.call('HMGET', KEYS[5], unpack(ids)) end

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
