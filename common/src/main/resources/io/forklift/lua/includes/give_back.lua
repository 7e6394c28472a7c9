-- giveBack(inflight, owners, attempts, ready, id): a lease handed back unused. The task goes to the
-- front of the ready list and its attempt is not counted: the worker stopped, the task did not fail.
local function giveBack(inflight, owners, attempts, ready, id)
  redis.call('ZREM', inflight, id)
  redis.call('HDEL', owners, id)
  redis.call('HINCRBY', attempts, id, -1)
  redis.call('LPUSH', ready, id)
end
