-- The state of a lock, rlock or semaphore and its line of waiters, shared by lock_*.lua and cond_*.lua.
-- lockKeys(base) names the keys every such script takes as KEYS[1..8]:
--   meta     hash: kind, lease (ms), permits, free (permits no one holds), cond:<name> (conditions used)
--   fence    string: the fencing counter (INCRBY; never decreases, kept when the object is deleted)
--   holders  zset: holder -> deadline of its leased hold (ms, Redis clock)
--   owned    hash: holder -> '<fence> <count>' (count: an rlock's re-entries, a semaphore's permits)
--   line     list: waiter ids, first come first served
--   waiting  hash: waiter -> '<holder> <count> <state>', state q (in the line) or c:<name> (on a condition)
--   waits    zset: waiter -> deadline by which its process renews it (a dead waiter leaves the line)
--   guards   hash: '<manager>/<name>' of each object written with this lock's fences -> 1
-- and `base`, the object's key prefix, under which woken:<waiter> (a waiter's wake list, which gets
-- its grant) and cond:<name> (a condition's waiters, in order) live in the same slot.
--@include ready
local function lockKeys(base)
  return { meta = KEYS[1], fence = KEYS[2], holders = KEYS[3], owned = KEYS[4], line = KEYS[5],
           waiting = KEYS[6], waits = KEYS[7], guards = KEYS[8], base = base }
end

local function parseOwned(v)
  local f, c = string.match(v, '^(%d+) (%d+)$')
  return f, tonumber(c)
end

local function parseWaiting(v)
  local h, c, s = string.match(v, '^(%S+) (%d+) (%S+)$')
  return h, tonumber(c), s
end

-- Permits a hold takes: one for a lock or rlock whatever its re-entries, its count for a semaphore.
local function permitsOf(kind, count)
  if kind == 'semaphore' or kind == 'bounded_semaphore' then return count end
  return 1
end

-- A waiter leaves the line (or its condition) and its wake list goes.
local function dropWaiter(k, w)
  local rec = redis.call('HGET', k.waiting, w)
  if rec then
    local _, _, state = parseWaiting(rec)
    if state == 'q' then
      redis.call('LREM', k.line, 1, w)
    else
      redis.call('LREM', k.base .. 'cond:' .. string.sub(state, 3), 1, w)
    end
    redis.call('HDEL', k.waiting, w)
  end
  redis.call('ZREM', k.waits, w)
  redis.call('DEL', k.base .. 'woken:' .. w)
end

-- reap(k, kind, now): holds whose lease ran out give their permits back (their holder lost them);
-- waiters whose process stopped renewing them leave the line.
local function reap(k, kind, now)
  local back = 0
  for _, h in ipairs(redis.call('ZRANGEBYSCORE', k.holders, '-inf', now)) do
    local own = redis.call('HGET', k.owned, h)
    if own then
      local _, c = parseOwned(own)
      back = back + permitsOf(kind, c)
    end
    redis.call('HDEL', k.owned, h)
    redis.call('ZREM', k.holders, h)
  end
  if back > 0 then redis.call('HINCRBY', k.meta, 'free', back) end
  for _, w in ipairs(redis.call('ZRANGEBYSCORE', k.waits, '-inf', now)) do dropWaiter(k, w) end
end

-- grant(k, holder, count, now, lease): `holder` holds `count` (re-entries or permits) with a fresh
-- fence, leased until now + lease; a semaphore holder taking more keeps its fence. Returns the fence.
local function grant(k, holder, count, now, lease)
  local fence
  local own = redis.call('HGET', k.owned, holder)
  if own then
    local f, c = parseOwned(own)
    fence, count = f, count + c
  else
    fence = redis.call('INCRBY', k.fence, 1)
  end
  redis.call('HSET', k.owned, holder, fence .. ' ' .. count)
  redis.call('ZADD', k.holders, now + lease, holder)
  return fence
end

-- What a holder learns with its grant: '<fence>\t<guarded object>\t…'. It publishes the fence into
-- each guarded object's fences hash before it uses the lock, so a late write of an older holder is
-- refused there from then on.
local function grantToken(k, kind, fence)
  local t = { tostring(fence) }
  if kind == 'lock' or kind == 'rlock' then
    local g = redis.call('HGETALL', k.guards)
    for i = 1, #g, 2 do t[#t + 1] = g[i] end
  end
  return table.concat(t, '\t')
end

-- handOff(k, kind, now, lease): while permits are free, the first waiter in line whose need fits
-- gets them and is woken with its grant (a blocked waiter by its wake list, a parked one by ready()).
-- Nobody overtakes the first waiter (FIFO, no barging).
local function handOff(k, kind, now, lease)
  local free = tonumber(redis.call('HGET', k.meta, 'free'))
  while free > 0 do
    local w = redis.call('LINDEX', k.line, 0)
    if not w then break end
    local rec = redis.call('HGET', k.waiting, w)
    if not rec then
      redis.call('LPOP', k.line)
    else
      local holder, count = parseWaiting(rec)
      local need = permitsOf(kind, count)
      if need > free then break end
      redis.call('LPOP', k.line)
      redis.call('HDEL', k.waiting, w)
      redis.call('ZREM', k.waits, w)
      free = free - need
      local woken = k.base .. 'woken:' .. w
      redis.call('RPUSH', woken, grantToken(k, kind, grant(k, holder, count, now, lease)))
      redis.call('PEXPIRE', woken, lease + 60000) -- a grant its waiter never took does not stay forever
      ready(woken) -- a waiter parked over HTTP takes its grant now
    end
  end
  redis.call('HSET', k.meta, 'free', free)
end

-- Milliseconds until the earliest hold ends (-1 when none): a waiting process looks again then.
local function earliestEnd(k, now)
  local first = redis.call('ZRANGE', k.holders, 0, 0, 'WITHSCORES')
  if first[2] then return tonumber(first[2]) - now end
  return -1
end
