#!lua
--[[
complete.lua — record how leased tasks ended and route each reply to its submitter. One round
trip per batch. Exactly-once completion: a completion whose "<attempt>:<worker>" is not the task's
current lease holder is rejected as stale (the task was requeued, or already completed).
A run that ends frees its slot under the queue's cap; in the same call the worker reports the
prefetched tasks it started since its last round trip, each on a child freed by a run that ends here,
so the slot passes from one to the other and the count of running tasks never rises in between (a
capped pool's task only takes a slot its own pool's run frees).

KEYS[1]  in-flight zset  forklift:{q}:inflight
KEYS[2]  ready list      forklift:{q}:ready
KEYS[3]  wake list       forklift:{q}:wake
KEYS[4]  dead list       forklift:{q}:dead      (dead-letter records, JSON)
KEYS[5]  messages hash   forklift:{q}:msgs
KEYS[6]  attempts hash   forklift:{q}:attempts
KEYS[7]  owners hash     forklift:{q}:owners
KEYS[8]  delayed zset    forklift:{q}:delayed   (task id -> when it may run again, ms)
KEYS[9]  meta hash       forklift:{q}:meta      (field 'completed' counts tasks that ended, for rates)
KEYS[10] running set     forklift:{q}:running   (tasks holding a slot under the cap: started, not ended)
KEYS[11] lanes list      forklift:{q}:lanes     (capped pools with waiting tasks: a freed slot wakes a worker)
KEYS[12] pool counts     forklift:{q}:pool_running (pool -> its tasks holding a slot)
KEYS[13] pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool; kept by a retry, for its lane)
ARGV[1]  results key prefix (forklift:{q}:results:); results go to the hash of the current minute
ARGV[2]  reply key prefix   (forklift:{q}:reply:)
ARGV[3]  result TTL, ms (result hashes and reply lists expire after it)
ARGV[4]  worker id
ARGV[5]  done bitmap prefix (forklift:{q}:done:): a task that ended sets its bit in its client's
         bitmap, so a copy of its signed message pushed again is refused (claim.lua)
ARGV[6]  s: how many prefetched tasks this worker started since its last round trip
ARGV[7…] s pairs: task id, attempt of each (added to the running set while this worker holds its lease)
then     7-tuples: task id, attempt, submitting client id ('' if unknown), reply (signed, or JSON),
         dead-letter record JSON ('' unless the task is dead-lettered),
         retry delay in ms ('' unless the task is to run again: then it waits in the delayed set,
         keeps its message and attempts, and no reply is sent),
         until when its message is valid, epoch ms ('' for an unsigned message: no done bit)

Returns: array of the task ids whose completion was rejected as stale.
]]
--@include now_ms
--@include wake
--@include task_id
--@include done_bits
--@include pools

local starts = tonumber(ARGV[6])
local first = 7 + 2 * starts
if starts > 0 then
  local started, names = {}, {}
  for i = 7, first - 1, 2 do names[#names + 1] = ARGV[i] end
  local owners = redis.call('HMGET', KEYS[7], unpack(names))
  for k, id in ipairs(names) do
    if owners[k] == ARGV[6 + 2 * k] .. ':' .. ARGV[4] then started[#started + 1] = id end
  end
  if #started > 0 then
    -- each took the slot of a run of its own pool ending in this call (the worker passes them so); a
    -- pool counts each of its tasks in the running set once, however often one is reported started
    addSlots(KEYS[12], KEYS[10], started, poolsOf(KEYS[13], started))
  end
end
local ids = {}
for i = first, #ARGV, 7 do ids[#ids + 1] = ARGV[i] end
if #ids == 0 then return {} end
local holders = redis.call('HMGET', KEYS[7], unpack(ids))
local pools = poolsOf(KEYS[13], ids)

local bits = {} -- the done bits of the tasks that end here, written once per client (done_bits)

local now = nowMs()
local stale, done, results, replies = {}, {}, {}, {}
for k, id in ipairs(ids) do
  local i = first + (k - 1) * 7
  local attempt, client, reply, dead, retry, validUntil =
    ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], ARGV[i + 6]
  if holders[k] ~= attempt .. ':' .. ARGV[4] then
    stale[#stale + 1] = id
  elseif retry ~= '' then
    redis.call('HDEL', KEYS[7], id)
    redis.call('ZREM', KEYS[1], id)
    if redis.call('SREM', KEYS[10], id) == 1 then slotFreed(KEYS[12], pools[id]) end
    redis.call('ZADD', KEYS[8], now + tonumber(retry), id)
  else
    done[#done + 1] = id
    results[#results + 1] = id
    results[#results + 1] = reply
    if dead ~= '' then redis.call('RPUSH', KEYS[4], dead) end
    if validUntil ~= '' then markDone(bits, id, validUntil) end
    if client ~= '' then
      local list = replies[client]
      if not list then list = {}; replies[client] = list end
      list[#list + 1] = reply
    end
  end
end

if #done > 0 then
  redis.call('HDEL', KEYS[7], unpack(done))
  redis.call('ZREM', KEYS[1], unpack(done))
  endSlots(KEYS[12], KEYS[10], done, pools)
  if next(pools) ~= nil then redis.call('HDEL', KEYS[13], unpack(done)) end
  redis.call('HDEL', KEYS[5], unpack(done))
  redis.call('HDEL', KEYS[6], unpack(done))
  redis.call('HINCRBY', KEYS[9], 'completed', #done)
  writeDone(ARGV[5], bits)
  local bucket = ARGV[1] .. math.floor(now / 60000)
  redis.call('HSET', bucket, unpack(results))
  redis.call('PEXPIRE', bucket, tonumber(ARGV[3]) + 60000)
  for client, list in pairs(replies) do
    local key = ARGV[2] .. client
    redis.call('RPUSH', key, unpack(list))
    redis.call('PEXPIRE', key, ARGV[3])
  end
end
wakeIfReady(KEYS[2], KEYS[3], KEYS[11])
return stale
