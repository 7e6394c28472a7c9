#!lua
--[[
requeue_expired.lua — give back the tasks whose lease ran out (their worker died, hung or lost
Redis): to the front of the ready list, or, once a task has been started max-attempts times, to
the dead list, its client owed a failure reply. Idempotent: run by the housekeeping leader, which
then signs and delivers every failure reply still owed in this queue (deliver.lua): those of this
call, and any a daemon that died before delivering left behind.

KEYS[1]  in-flight zset  forklift:{q}:inflight
KEYS[2]  ready list      forklift:{q}:ready
KEYS[3]  owners hash     forklift:{q}:owners
KEYS[4]  attempts hash   forklift:{q}:attempts
KEYS[5]  messages hash   forklift:{q}:msgs
KEYS[6]  dead list       forklift:{q}:dead
KEYS[7]  wake list       forklift:{q}:wake
KEYS[8]  unreplied hash  forklift:{q}:unreplied (task id -> failure reply owed, JSON)
KEYS[9]  running set     forklift:{q}:running   (tasks holding a slot under the cap; an expired one frees it)
KEYS[10] lanes list      forklift:{q}:lanes     (a capped pool's task goes back to the front of its lane)
KEYS[11] pool counts     forklift:{q}:pool_running (pool -> its tasks holding a slot)
KEYS[12] pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  max attempts (a task started this many times is dead-lettered instead)
ARGV[2]  most tasks to handle in this call
ARGV[3]  queue name (for the dead-letter record)

Returns: { tasks requeued, tasks dead-lettered, then pairs: task id, owed failure JSON, for every
         failure reply owed in this queue }
]]
--@include now_ms
--@include wake
--@include dead_letter
--@include task_id
--@include pools

local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowMs(), 'LIMIT', 0, tonumber(ARGV[2]))
local requeued, dead = 0, 0
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local pool = redis.call('HGET', KEYS[12], id) or nil
  if redis.call('SREM', KEYS[9], id) == 1 then slotFreed(KEYS[11], pool) end
  local holder = redis.call('HGET', KEYS[3], id) or ''
  redis.call('HDEL', KEYS[3], id)
  local attempts = tonumber(redis.call('HGET', KEYS[4], id) or '0')
  if attempts >= tonumber(ARGV[1]) then
    local msg = redis.call('HGET', KEYS[5], id) or ''
    redis.call('HDEL', KEYS[5], id)
    redis.call('HDEL', KEYS[4], id)
    redis.call('HDEL', KEYS[12], id)
    local error = { type = 'io.forklift.LeaseExpiredException', message = 'the lease of task ' .. id .. ' ran out '
      .. attempts .. ' times (last holder ' .. holder .. '): its worker died, hung or lost Redis each time' }
    deadLetter(KEYS[6], KEYS[8], { id = id, queue = ARGV[3], reason = 'lease_expired', error = error,
      message = msg, worker = holder, attempt = attempts, pool = pool }, clientOf(id))
    dead = dead + 1
  else
    makeReady(KEYS[2], KEYS[10], pool, id, true)
    requeued = requeued + 1
  end
end
if requeued > 0 then wakeIfReady(KEYS[2], KEYS[7], KEYS[10]) end
local out = { requeued, dead }
for _, v in ipairs(redis.call('HGETALL', KEYS[8])) do out[#out + 1] = v end
return out
