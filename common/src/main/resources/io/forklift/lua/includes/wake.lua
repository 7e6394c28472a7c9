-- wakeIfReady(ready, wake): while tasks wait in the ready list, leave one wake token, so a worker
-- blocked on the wake list (BLPOP) comes to claim them. One token at most: it wakes one worker,
-- whose claim leaves another if tasks remain.
local function wakeIfReady(ready, wake)
  if redis.call('LLEN', ready) > 0 and redis.call('LLEN', wake) == 0 then redis.call('RPUSH', wake, '1') end
end
