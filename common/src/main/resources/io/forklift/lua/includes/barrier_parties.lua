-- A barrier's parties (barrier_*.lua): meta (kind barrier, parties, lease, broken, generation),
-- line (waiter ids in arrival order), waits (waiter -> deadline its process renews), and each
-- waiter's wake list <base>woken:<waiter>, which gets 'pass <index>' or 'broken' (named by ready(),
-- for a party parked over HTTP).
--@include ready

-- breakBarrier(meta, line, waits, base): the barrier breaks; every waiter is woken with 'broken'
-- (Python's BrokenBarrierError), and every later wait is refused until a reset.
local function breakBarrier(meta, line, waits, base)
  redis.call('HSET', meta, 'broken', '1')
  for _, w in ipairs(redis.call('LRANGE', line, 0, -1)) do
    local woken = base .. 'woken:' .. w
    redis.call('RPUSH', woken, 'broken')
    redis.call('PEXPIRE', woken, 60000)
    ready(woken)
  end
  redis.call('DEL', line, waits)
end

-- A party whose process stopped renewing its wait (it died) breaks the barrier for all.
local function reapParties(meta, line, waits, base, now)
  if #redis.call('ZRANGEBYSCORE', waits, '-inf', now, 'LIMIT', 0, 1) > 0 then
    breakBarrier(meta, line, waits, base)
  end
end
