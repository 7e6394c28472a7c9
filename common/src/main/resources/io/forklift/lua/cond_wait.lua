#!lua
--[[
cond_wait.lua — Condition.await: in one step, a holder of a lock or rlock gives it up entirely
(an rlock's re-entries are kept for later) and waits on the condition, last in its order. The
lock goes to the first in its line. A signal later moves the waiter to the lock's line
(cond_notify.lua); it is woken when the lock is handed to it, with its re-entries and a new fence.

KEYS[1]  meta hash     forklift:{m:M/N}:meta     (gets cond:<name> = 1, so a delete finds the list)
KEYS[2]  fence         forklift:{m:M/N}:fence
KEYS[3]  holders zset  forklift:{m:M/N}:holders
KEYS[4]  owned hash    forklift:{m:M/N}:owned
KEYS[5]  line list     forklift:{m:M/N}:line
KEYS[6]  waiting hash  forklift:{m:M/N}:waiting
KEYS[7]  waits zset    forklift:{m:M/N}:waits
KEYS[8]  guards hash   forklift:{m:M/N}:guards
ARGV[1]  the lock's key prefix forklift:{m:M/N}: (the condition's list is cond:<name> under it)
ARGV[2]  kind the caller holds: lock or rlock
ARGV[3]  holder
ARGV[4]  the fence it got
ARGV[5]  waiter id
ARGV[6]  the condition's name

Returns: 1 waiting on the condition; 0 the hold had run out (its lease): nothing changed.
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
local holder, fence, w, name = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local own = redis.call('HGET', k.owned, holder)
if not own then return 0 end
local f, count = parseOwned(own)
if f ~= fence then return 0 end
redis.call('HDEL', k.owned, holder)
redis.call('ZREM', k.holders, holder)
redis.call('HINCRBY', k.meta, 'free', 1)
redis.call('HSET', k.meta, 'cond:' .. name, '1')
redis.call('RPUSH', k.base .. 'cond:' .. name, w)
redis.call('HSET', k.waiting, w, holder .. ' ' .. count .. ' c:' .. name)
redis.call('ZADD', k.waits, now + lease, w)
handOff(k, kind, now, lease)
return 1
