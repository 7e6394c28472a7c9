-- wakeIfReady(ready, wake, lanes): while tasks wait in the ready list (or in a capped pool's lane:
-- lanes, {q}:lanes, may be nil), leave one wake token, so a worker blocked on the wake list (BLPOP)
-- comes to claim them. One token at most: it wakes one worker, whose claim leaves another if tasks remain.
local function wakeIfReady(ready, wake, lanes)
  local waiting = redis.call('LLEN', ready) > 0 or (lanes ~= nil and redis.call('LLEN', lanes) > 0)
  if waiting and redis.call('LLEN', wake) == 0 then redis.call('RPUSH', wake, '1') end
end
