#!lua
--[[
promote_delayed.lua — tasks waiting to be retried whose time has come go back to the ready list.
Idempotent: run by the housekeeping leader.

KEYS[1]  delayed zset  forklift:{q}:delayed   (task id -> when it may run again, ms, Redis clock)
KEYS[2]  ready list    forklift:{q}:ready
KEYS[3]  wake list     forklift:{q}:wake
ARGV[1]  most tasks to promote in this call

Returns: the number of tasks promoted.
]]
--@include now_ms
--@include wake

local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowMs(), 'LIMIT', 0, tonumber(ARGV[1]))
if #due == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(due))
redis.call('RPUSH', KEYS[2], unpack(due))
wakeIfReady(KEYS[2], KEYS[3])
return #due
