#!lua
--[[
claim.lua — lease up to N ready tasks to one worker. One round trip per batch. After a round trip
whose reply never arrived, first give back the leases the worker holds without knowing: a claim
that ran in Redis (a hung server runs the commands it had buffered when it resumes; a killed
connection may drop only the reply) whose tasks never reached the worker. They go back to the
front of the ready list, the attempt not counted. Done here, in one script with the claim, so a
NOSCRIPT re-run can never give back what the same round trip just claimed.

KEYS[1]  ready list      forklift:{q}:ready
KEYS[2]  in-flight zset  forklift:{q}:inflight  (task id -> lease deadline, ms, Redis clock)
KEYS[3]  meta hash       forklift:{q}:meta      (field concurrency: cluster-wide cap; absent = none)
KEYS[4]  wake list       forklift:{q}:wake
KEYS[5]  messages hash   forklift:{q}:msgs
KEYS[6]  attempts hash   forklift:{q}:attempts  (task id -> runs started)
KEYS[7]  owners hash     forklift:{q}:owners    (task id -> "<attempt>:<worker id>", the lease holder)
KEYS[8]  dead list       forklift:{q}:dead      (dead-letter records, JSON)
KEYS[9]  fences hash     forklift:{q}:fences    (worker id -> token of its newest claiming round trip)
ARGV[1]  most tasks to claim (the worker's idle children)
ARGV[2]  worker id
ARGV[3]  lease length, ms
ARGV[4]  largest task message the worker accepts, bytes (its --max-payload)
ARGV[5]  queue name (for the dead-letter record)
ARGV[6]  reply key prefix (forklift:{q}:reply:)
ARGV[7]  result TTL, ms
ARGV[8]  fence token of this round trip: start time and trip number of the worker process,
         zero-padded so later trips compare greater as strings
ARGV[9]  '1' to give back first this worker's leases in this queue other than ARGV[10…]; '0' not
ARGV[10…] with '1': the task ids the worker knows it holds here (running or prefetched)

Returns: the number of tasks given back, then a flat array of triples: task id, attempt number
         (1 on the first run), task message JSON.
         Ids without a message (withdrawn) are dropped. A message over ARGV[4] bytes (written
         around the client's own limit) is never returned, so no worker reads it into its heap: it
         is dead-lettered here with reason too_large and dropped, and a failure reply goes to the
         client named by its id (Forklift's ids are "<client id>-<sequence>"; the message itself
         is not read to find it).
         A round trip older than one already seen from this worker (run late, after newer ones)
         neither gives back nor claims anything: its idea of what the worker holds is out of date.
Side effect: if ready tasks remain, leaves a wake token so another idle worker takes them.
]]
local fence = redis.call('HGET', KEYS[9], ARGV[2])
if fence and fence > ARGV[8] then return { 0 } end
if fence ~= ARGV[8] then redis.call('HSET', KEYS[9], ARGV[2], ARGV[8]) end

local givenBack = 0
if ARGV[9] == '1' then
  local held = {}
  for i = 10, #ARGV do held[ARGV[i]] = true end
  local owners = redis.call('HGETALL', KEYS[7])
  for i = 1, #owners, 2 do
    local id = owners[i]
    if string.match(owners[i + 1], '^%d+:(.*)$') == ARGV[2] and not held[id] then
      redis.call('ZREM', KEYS[2], id)
      redis.call('HDEL', KEYS[7], id)
      redis.call('HINCRBY', KEYS[6], id, -1)
      redis.call('LPUSH', KEYS[1], id)
      givenBack = givenBack + 1
    end
  end
end

local n = tonumber(ARGV[1])
local limit = tonumber(redis.call('HGET', KEYS[3], 'concurrency') or '0')
if limit > 0 then
  local room = limit - redis.call('ZCARD', KEYS[2])
  if room < n then n = room end
end
local popped = n > 0 and redis.call('LPOP', KEYS[1], n)
if not popped then
  if givenBack > 0 and redis.call('LLEN', KEYS[4]) == 0 then redis.call('RPUSH', KEYS[4], '1') end
  return { givenBack }
end

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
local out, leases, owners = { givenBack }, {}, {}
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
