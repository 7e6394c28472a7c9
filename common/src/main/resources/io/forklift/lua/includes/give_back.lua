-- giveBack(inflight, owners, attempts, ready, running, id): a lease handed back unused. The task goes
-- to the front of the ready list and its attempt is not counted: the worker stopped, the task did not
-- fail. A slot it held under the queue's cap is freed (SREM: freeing twice is harmless).
local function giveBack(inflight, owners, attempts, ready, running, id)
  redis.call('ZREM', inflight, id)
  redis.call('SREM', running, id)
  redis.call('HDEL', owners, id)
  redis.call('HINCRBY', attempts, id, -1)
  redis.call('LPUSH', ready, id)
end
