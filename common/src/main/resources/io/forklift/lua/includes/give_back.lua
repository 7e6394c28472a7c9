--@include pools
-- giveBack(inflight, owners, attempts, ready, running, id, p): a lease handed back unused. The task goes
-- to the front of the ready list (or of its pool's lane) and its attempt is not counted: the worker
-- stopped, the task did not fail. A slot it held is freed (SREM: freeing twice is harmless).
-- p: { lanes = {q}:lanes, running = {q}:pool_running, of = {q}:pool_of }.
local function giveBack(inflight, owners, attempts, ready, running, id, p)
  redis.call('ZREM', inflight, id)
  local freed = redis.call('SREM', running, id) == 1
  redis.call('HDEL', owners, id)
  redis.call('HINCRBY', attempts, id, -1)
  local pool = redis.call('HGET', p.of, id) or nil
  if freed then slotFreed(p.running, pool) end
  makeReady(ready, p.lanes, pool, id, true)
end
