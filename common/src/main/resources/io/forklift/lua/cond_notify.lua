#!lua
--[[
cond_notify.lua — Condition.signal / signalAll: the holder of the lock moves up to n waiters of a
condition, oldest first, to the end of the lock's line; each is woken holding the lock when its
turn comes, after the signaller releases. Waiters whose process died are reaped, not counted.

KEYS[1]  meta hash     forklift:{m:M/N}:meta
KEYS[2]  fence         forklift:{m:M/N}:fence
KEYS[3]  holders zset  forklift:{m:M/N}:holders
KEYS[4]  owned hash    forklift:{m:M/N}:owned
KEYS[5]  line list     forklift:{m:M/N}:line
KEYS[6]  waiting hash  forklift:{m:M/N}:waiting
KEYS[7]  waits zset    forklift:{m:M/N}:waits
KEYS[8]  guards hash   forklift:{m:M/N}:guards
ARGV[1]  the lock's key prefix forklift:{m:M/N}:
ARGV[2]  kind the caller holds: lock or rlock
ARGV[3]  holder
ARGV[4]  the fence it got
ARGV[5]  the condition's name
ARGV[6]  n, how many to wake; 0 for all

Returns: how many waiters were moved to the lock's line; -1 when the caller's hold had run out.
Errors:  NOOBJECT, WRONGKIND <kind>.
]]
--@include object_kind
--@include now_ms
--@include lock_line

local kind = ARGV[2]
useObject(KEYS[1], { kind })
local k = lockKeys(ARGV[1])
reap(k, kind, nowMs())
local own = redis.call('HGET', k.owned, ARGV[3])
if not own or parseOwned(own) ~= ARGV[4] then return -1 end
local list = k.base .. 'cond:' .. ARGV[5]
local n, moved = tonumber(ARGV[6]), 0
while n == 0 or moved < n do
  local w = redis.call('LPOP', list)
  if not w then break end
  local rec = redis.call('HGET', k.waiting, w)
  if rec then
    local holder, count = parseWaiting(rec)
    redis.call('RPUSH', k.line, w)
    redis.call('HSET', k.waiting, w, holder .. ' ' .. count .. ' q')
    moved = moved + 1
  end
end
return moved
