#!lua
--[[
revoke.lua — cancel tasks wherever they are (AsyncResult.cancel, Pool.terminate): withdrawn if one
waits in the ready list or the delayed set; if a worker holds its lease, the lease is taken away,
so that worker's next renewal reports it lost and stops the child, and its completion, should one
come, is rejected as stale. Either way the task's keys are gone. Each revoked id is published on
the revoked channel, so its worker renews at once and stops it without waiting for its next renewal.

KEYS[1]  ready list      forklift:{q}:ready
KEYS[2]  messages hash   forklift:{q}:msgs
KEYS[3]  in-flight zset  forklift:{q}:inflight
KEYS[4]  owners hash     forklift:{q}:owners
KEYS[5]  attempts hash   forklift:{q}:attempts
KEYS[6]  delayed zset    forklift:{q}:delayed
KEYS[7]  running set     forklift:{q}:running   (a revoked task's slot under the cap is freed)
KEYS[8]  lanes list      forklift:{q}:lanes     (a capped pool's waiting task is withdrawn from its lane)
KEYS[9]  pool counts     forklift:{q}:pool_running (pool -> its tasks holding a slot)
KEYS[10] pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  revoked channel (forklift:revoked): a message per revoked task, "<queue> <task id>"
ARGV[2]  queue name
ARGV[3…] task ids

Returns: per id, in order: 'withdrawn' (it had not started), 'revoked' (it was running), or
         'ended' (no message: it already ended, or it is not stored yet). LREM makes a withdrawal
         O(ready list), or O(its pool's lane).
]]
--@include pools
local out = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HDEL', KEYS[2], id) == 0 then
    out[#out + 1] = 'ended'
  else
    local running = redis.call('HDEL', KEYS[4], id) == 1
    local pool = redis.call('HGET', KEYS[10], id) or nil
    redis.call('ZREM', KEYS[3], id)
    if redis.call('SREM', KEYS[7], id) == 1 then slotFreed(KEYS[9], pool) end
    redis.call('HDEL', KEYS[5], id)
    redis.call('HDEL', KEYS[10], id)
    if running then
      redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. id)
      out[#out + 1] = 'revoked'
    else
      if pool then
        local lane = KEYS[8] .. ':' .. pool
        if redis.call('LREM', lane, 1, id) == 1 and redis.call('LLEN', lane) == 0 then
          redis.call('LREM', KEYS[8], 1, pool)
        end
      else
        redis.call('LREM', KEYS[1], 1, id)
      end
      redis.call('ZREM', KEYS[6], id)
      out[#out + 1] = 'withdrawn'
    end
  end
end
return out
