#!lua
--[[
promote_delayed.lua — tasks waiting to be retried whose time has come go to the FRONT of the ready
list, the one due longest first: a retry has waited its delay already and must not wait again
behind every task submitted meanwhile. Idempotent: run by the housekeeping leader.

KEYS[1]  delayed zset  forklift:{q}:delayed   (task id -> when it may run again, ms, Redis clock)
KEYS[2]  ready list    forklift:{q}:ready
KEYS[3]  wake list     forklift:{q}:wake
KEYS[4]  lanes list    forklift:{q}:lanes     (a capped pool's retry goes to the front of its pool's lane)
KEYS[5]  pool-of hash  forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  most tasks to promote in this call

Returns: the number of tasks promoted.
]]
--@include now_ms
--@include wake
--@include pools

local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', nowMs(), 'LIMIT', 0, tonumber(ARGV[1]))
if #due == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(due))
-- LPUSH puts each id before the one pushed before it: push the latest due first, so the earliest
-- due ends up first of all.
local pools = poolsOf(KEYS[5], due)
if next(pools) == nil then
  local latestFirst = {}
  for i = #due, 1, -1 do latestFirst[#latestFirst + 1] = due[i] end
  redis.call('LPUSH', KEYS[2], unpack(latestFirst))
else
  for i = #due, 1, -1 do makeReady(KEYS[2], KEYS[4], pools[due[i]], due[i], true) end
end
wakeIfReady(KEYS[2], KEYS[3], KEYS[4])
return #due
