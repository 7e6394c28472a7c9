#!lua
--[[
lock_renew.lua — a process renews, in one call per object, every hold and every wait it has on a
lock, rlock or semaphore (its renewer does, every third of the lease). Holds that ran out first
are reaped and handed on, so a holder paused past its lease finds its hold gone. Waiting
processes call it too, at the earliest hold's deadline at the latest: that is how the lock of a
holder that died reaches the line within one lease, with no one polling.

KEYS[1]  meta hash     forklift:{m:M/N}:meta
KEYS[2]  fence         forklift:{m:M/N}:fence
KEYS[3]  holders zset  forklift:{m:M/N}:holders
KEYS[4]  owned hash    forklift:{m:M/N}:owned
KEYS[5]  line list     forklift:{m:M/N}:line
KEYS[6]  waiting hash  forklift:{m:M/N}:waiting
KEYS[7]  waits zset    forklift:{m:M/N}:waits
KEYS[8]  guards hash   forklift:{m:M/N}:guards
ARGV[1]  the object's key prefix forklift:{m:M/N}:
ARGV[2]  kind the caller holds: lock, rlock, semaphore or bounded_semaphore
ARGV[3]  n, the number of holds that follow
ARGV[4…] n pairs: holder, the fence it got; then the ids of this process's waiters

Returns: { ms until the earliest hold ends (-1 when none), m, m lost holders…, gone waiters… }:
         lost holders' holds ran out; gone waiters were granted (their wake list has it) or reaped.
Errors:  NOOBJECT, WRONGKIND <kind>.
]]
--@include object_kind
--@include now_ms
--@include lock_line

local kind = ARGV[2]
local lease = tonumber(useObject(KEYS[1], { kind }, 'lease'))
local k = lockKeys(ARGV[1])
local now = nowMs()
reap(k, kind, now)
local n = tonumber(ARGV[3])
local lost, gone = {}, {}
for i = 4, 3 + 2 * n, 2 do
  local holder, fence = ARGV[i], ARGV[i + 1]
  local own = redis.call('HGET', k.owned, holder)
  if own and parseOwned(own) == fence then
    redis.call('ZADD', k.holders, now + lease, holder)
  else
    lost[#lost + 1] = holder
  end
end
for i = 4 + 2 * n, #ARGV do
  if redis.call('ZSCORE', k.waits, ARGV[i]) then
    redis.call('ZADD', k.waits, now + lease, ARGV[i])
  else
    gone[#gone + 1] = ARGV[i]
  end
end
handOff(k, kind, now, lease)
local out = { earliestEnd(k, now), #lost }
for _, h in ipairs(lost) do out[#out + 1] = h end
for _, w in ipairs(gone) do out[#out + 1] = w end
return out
