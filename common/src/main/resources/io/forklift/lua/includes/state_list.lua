-- setState(key, on): a list used as a level-triggered flag: one element while `on`, empty while
-- not. Waiters block on it with BLMOVE key key (which puts the element back), so one push wakes
-- every waiter at once and a waiter that arrives later returns at once, with no token counting.
-- Turning on, it names the key on the ready channel for waiters over HTTP (see ready).
--@include ready
local function setState(key, on)
  if on then
    if redis.call('LLEN', key) == 0 then
      redis.call('RPUSH', key, '1')
      ready(key)
    end
  else
    redis.call('DEL', key)
  end
end
