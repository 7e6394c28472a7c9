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

-- byPool(ids, pools): the ids grouped by their capped pool ('' for none), so slots are counted with one
-- call per pool, not one per task.
local function byPool(ids, pools)
  local groups = {}
  for _, id in ipairs(ids) do
    local pool = pools[id] or ''
    local group = groups[pool]
    if not group then
      group = {}
      groups[pool] = group
    end
    group[#group + 1] = id
  end
  return groups
end

-- addSlots(poolRunning, running, ids, pools): ids hold slots (SADD); each capped pool counts those of its
-- tasks that did not hold one already, so a task reported twice is counted once. pools: id -> pool.
local function addSlots(poolRunning, running, ids, pools)
  for pool, group in pairs(byPool(ids, pools)) do
    local added = redis.call('SADD', running, unpack(group))
    if pool ~= '' and added > 0 then redis.call('HINCRBY', poolRunning, pool, added) end
  end
end

-- endSlots(poolRunning, running, ids, pools): the slots of ids end (SREM); each capped pool is counted
-- off the ones its tasks held. pools: id -> pool (poolsOf).
local function endSlots(poolRunning, running, ids, pools)
  for pool, group in pairs(byPool(ids, pools)) do
    local freed = redis.call('SREM', running, unpack(group))
    if pool ~= '' and freed > 0 and redis.call('HINCRBY', poolRunning, pool, -freed) <= 0 then
      redis.call('HDEL', poolRunning, pool)
    end
  end
end
