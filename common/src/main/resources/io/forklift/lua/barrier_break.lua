#!lua
--[[
barrier_break.lua — a barrier breaks or is reset. 'timeout': a waiter's wait timed out, which
breaks the barrier for every party (Python's Barrier), unless the round completed just before
(its wake list then holds its pass). 'abort': abort() breaks it. 'reset': reset() breaks the
current round (its waiters get BrokenBarrierException) and leaves the barrier empty, unbroken.

KEYS[1]  meta hash   forklift:{m:M/N}:meta
KEYS[2]  line list   forklift:{m:M/N}:line
KEYS[3]  waits zset  forklift:{m:M/N}:waits
ARGV[1]  the barrier's key prefix forklift:{m:M/N}:
ARGV[2]  'timeout', 'abort' or 'reset'
ARGV[3]  the waiter whose wait timed out ('timeout'), else ''

Returns: 'pass <index>' (timeout) the round completed before the timeout took effect; 'broken'
         the barrier is broken; 'reset' it is empty and whole.
Errors:  NOOBJECT, WRONGKIND <kind>.
]]
--@include object_kind
--@include barrier_parties

useObject(KEYS[1], { 'barrier' })
local op = ARGV[2]
if op == 'timeout' then
  local woken = ARGV[1] .. 'woken:' .. ARGV[3]
  local got = redis.call('LPOP', woken)
  redis.call('DEL', woken)
  if got then return got end
end
breakBarrier(KEYS[1], KEYS[2], KEYS[3], ARGV[1])
if op == 'reset' then
  redis.call('HDEL', KEYS[1], 'broken')
  return 'reset'
end
return 'broken'
