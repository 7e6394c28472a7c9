-- Pools with a cap of their own (fl.pool(q, n), n > 0): each of their tasks is named in
-- {q}:pool_of (task id -> pool id) from submit until it ends, waits in its pool's lane
-- {q}:lanes:<pool> instead of the ready list, and counts in {q}:pool_running (pool -> tasks holding a
-- slot). {q}:lanes lists each pool whose lane holds tasks once, so claim.lua visits only those.

-- poolsOf(poolOf, ids): id -> pool of the ids that belong to a capped pool; no read when none exists.
local function poolsOf(poolOf, ids)
  local out = {}
  if #ids == 0 or redis.call('EXISTS', poolOf) == 0 then return out end
  local pools = redis.call('HMGET', poolOf, unpack(ids))
  for i, id in ipairs(ids) do
    if pools[i] then out[id] = pools[i] end
  end
  return out
end

-- makeReady(ready, lanes, pool, id, front): the task waits again, in its pool's lane (pool not nil)
-- or in the ready list, at the front or the back.
local function makeReady(ready, lanes, pool, id, front)
  local list = ready
  if pool then
    list = lanes .. ':' .. pool
    if redis.call('LLEN', list) == 0 then redis.call('RPUSH', lanes, pool) end
  end
  redis.call(front and 'LPUSH' or 'RPUSH', list, id)
end

-- slotFreed(poolRunning, pool): a task of pool that held a slot no longer does.
local function slotFreed(poolRunning, pool)
  if pool and redis.call('HINCRBY', poolRunning, pool, -1) <= 0 then redis.call('HDEL', poolRunning, pool) end
end

-- endSlots(poolRunning, running, ids, pools): the slots of ids end (SREM); each one a capped pool's
-- task held is counted off its pool. pools: id -> pool (poolsOf).
local function endSlots(poolRunning, running, ids, pools)
  if #ids == 0 then return end
  if next(pools) == nil then
    redis.call('SREM', running, unpack(ids))
    return
  end
  for _, id in ipairs(ids) do
    if redis.call('SREM', running, id) == 1 then slotFreed(poolRunning, pools[id]) end
  end
end
