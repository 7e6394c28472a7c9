#!lua
--[[
lock_cancel.lua — a waiter gives up (its timeout passed, or its thread was interrupted), or a
condition waiter whose wait timed out goes back to waiting for the lock (as Condition.await must
re-take the lock before it returns). Atomic with the hand-off: a waiter granted meanwhile takes
its grant here instead of leaving.

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
ARGV[3]  waiter id
ARGV[4]  'leave' to leave the line, or 'lock' (a condition waiter) to wait in the lock's line

Returns: { 1, '<fence>\t<guarded object>…', outcome } it had been granted: it holds now (outcome,
             for 'lock': 'signalled' or 'timedout', as below);
         { 0 } it left;
         { 2, 'signalled' or 'timedout' } ('lock') it waits in the lock's line now: it had been
             signalled already, or its condition wait timed out;
         { -1 } it was not waiting (reaped after its process stopped renewing it).
Errors:  NOOBJECT, WRONGKIND <kind>.
]]
--@include object_kind
--@include now_ms
--@include lock_line

local kind = ARGV[2]
local lease = tonumber(useObject(KEYS[1], { kind }, 'lease'))
local k = lockKeys(ARGV[1])
local now = nowMs()
local w = ARGV[3]
local woken = k.base .. 'woken:' .. w
reap(k, kind, now)
local rec = redis.call('HGET', k.waiting, w)
if rec and ARGV[4] == 'lock' then
  local holder, count, state = parseWaiting(rec)
  local outcome = 'signalled'
  if state ~= 'q' then
    outcome = 'timedout'
    redis.call('LREM', k.base .. 'cond:' .. string.sub(state, 3), 1, w)
    redis.call('RPUSH', k.line, w)
    redis.call('HSET', k.waiting, w, holder .. ' ' .. count .. ' q')
  end
  handOff(k, kind, now, lease)
  local granted = redis.call('LPOP', woken)
  if granted then return { 1, granted, outcome } end
  return { 2, outcome }
end
if rec then
  dropWaiter(k, w)
  handOff(k, kind, now, lease) -- a first waiter leaving may let those behind it in
  return { 0 }
end
local granted = redis.call('LPOP', woken)
redis.call('DEL', woken)
if granted then return { 1, granted, 'signalled' } end
return { -1 }
