#!lua
--[[
revoke.lua — cancel one task wherever it is (AsyncResult.cancel): withdrawn if it waits in the
ready list or the delayed set; if a worker holds its lease, the lease is taken away, so that
worker's next renewal reports it lost and stops the child (within a third of the lease), and its
completion, should one come, is rejected as stale. Either way the task's keys are gone.

KEYS[1]  ready list      forklift:{q}:ready
KEYS[2]  messages hash   forklift:{q}:msgs
KEYS[3]  in-flight zset  forklift:{q}:inflight
KEYS[4]  owners hash     forklift:{q}:owners
KEYS[5]  attempts hash   forklift:{q}:attempts
KEYS[6]  delayed zset    forklift:{q}:delayed
ARGV[1]  task id

Returns: 'withdrawn' (it had not started), 'revoked' (it was running), or 'ended' (no message:
         it already ended, or it is not stored yet). LREM makes a withdrawal O(ready list).
]]
local id = ARGV[1]
if redis.call('HDEL', KEYS[2], id) == 0 then return 'ended' end
local running = redis.call('HDEL', KEYS[4], id) == 1
redis.call('ZREM', KEYS[3], id)
redis.call('HDEL', KEYS[5], id)
if running then return 'revoked' end
redis.call('LREM', KEYS[1], 1, id)
redis.call('ZREM', KEYS[6], id)
return 'withdrawn'
