#!lua
--[[
dead_retry.lua — give dead-lettered tasks another run: each chosen record leaves the dead list and
its message (re-signed by the operator's command, which holds the authkey) goes back into the queue
with its attempts reset, at the front of the ready list, or of its pool's lane when it came from a
capped pool (fl.pool(q, n)) that is still open, so it runs under that pool's cap again. The task's
done bit and any failure reply still owed for it are cleared: it has not ended any more.

KEYS[1]  dead list       forklift:{q}:dead      (dead-letter records, JSON)
KEYS[2]  ready list      forklift:{q}:ready
KEYS[3]  messages hash   forklift:{q}:msgs
KEYS[4]  attempts hash   forklift:{q}:attempts
KEYS[5]  wake list       forklift:{q}:wake
KEYS[6]  unreplied hash  forklift:{q}:unreplied
KEYS[7]  lanes list      forklift:{q}:lanes     (capped pools whose lane holds tasks)
KEYS[8]  pools hash      forklift:{q}:pools     (pool -> its cap, while its client is open)
KEYS[9]  pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  done bitmap prefix (forklift:{q}:done:)
ARGV[2…] quadruples: the dead-letter record exactly as stored, its task id, the message to run, the
         capped pool it came from ('' for none)

Returns: the number of tasks requeued (a record no longer on the dead list, retried or purged by
         someone else meanwhile, is skipped).
]]
--@include wake
--@include task_id
--@include pools

local retried = 0
for i = 2, #ARGV, 4 do
  local record, id, message, pool = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if redis.call('LREM', KEYS[1], 1, record) == 1 then
    redis.call('HSET', KEYS[3], id, message)
    redis.call('HDEL', KEYS[4], id)
    redis.call('HDEL', KEYS[6], id)
    local client, bit = doneBitOf(id)
    if client then redis.call('SETBIT', ARGV[1] .. client, bit, '0') end
    -- a pool whose client closed caps nothing any more: its task goes to the ready list
    if pool == '' or redis.call('HEXISTS', KEYS[8], pool) == 0 then pool = nil end
    if pool then redis.call('HSET', KEYS[9], id, pool) end
    makeReady(KEYS[2], KEYS[7], pool, id, true)
    retried = retried + 1
  end
end
if retried > 0 then wakeIfReady(KEYS[2], KEYS[5], KEYS[7]) end
return retried
