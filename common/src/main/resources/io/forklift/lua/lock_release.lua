#!lua
--[[
lock_release.lua — give back a hold (all of a lock, one re-entry of an rlock, permits of a
semaphore) and hand what is free to the first in line, waking it. A holder whose lease ran out
(reaped, or its fence no longer the one it got) releases nothing and learns it lost the hold.
A semaphore released by one holding none of it gains a permit, as Python's and Java's do; a
bounded semaphore refuses to go above its bound.

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
ARGV[3]  holder
ARGV[4]  the fence this holder got, '' when it holds none of this object
ARGV[5]  permits to give back (1 for a lock or rlock)

Returns: { 1, count left (an rlock's re-entries, a semaphore holder's permits) } released;
         { 0 } lost: the hold had run out (its lease) and was gone; nothing changed.
Errors:  NOOBJECT, WRONGKIND <kind>, NOTHELD (a lock or rlock released by one not holding it),
         OVERBOUND <permits> (a bounded semaphore released above its bound; nothing changed).
]]
--@include object_kind
--@include now_ms
--@include lock_line

local kind = ARGV[2]
local lease = tonumber(useObject(KEYS[1], { kind }, 'lease'))
local k = lockKeys(ARGV[1])
local now = nowMs()
reap(k, kind, now)
local holder, fence, n = ARGV[3], ARGV[4], tonumber(ARGV[5])
local semaphore = kind == 'semaphore' or kind == 'bounded_semaphore'
local left = 0
if fence ~= '' then
  local own = redis.call('HGET', k.owned, holder)
  if not own then return { 0 } end
  local f, c = parseOwned(own)
  if f ~= fence then return { 0 } end
  if kind == 'rlock' then left = c - 1 elseif semaphore then left = math.max(c - n, 0) end
  if left > 0 then
    redis.call('HSET', k.owned, holder, f .. ' ' .. left)
  else
    redis.call('HDEL', k.owned, holder)
    redis.call('ZREM', k.holders, holder)
  end
  if semaphore then
    redis.call('HINCRBY', k.meta, 'free', c - left)
  elseif left == 0 then
    redis.call('HINCRBY', k.meta, 'free', 1)
  end
else
  if not semaphore then return redis.error_reply('NOTHELD') end
  local permits = tonumber(redis.call('HGET', k.meta, 'permits'))
  if kind == 'bounded_semaphore' then
    local held, owned = 0, redis.call('HGETALL', k.owned)
    for i = 2, #owned, 2 do
      local _, c = parseOwned(owned[i])
      held = held + c
    end
    if tonumber(redis.call('HGET', k.meta, 'free')) + held + n > permits then
      return redis.error_reply('OVERBOUND ' .. permits)
    end
  end
  redis.call('HINCRBY', k.meta, 'free', n)
end
handOff(k, kind, now, lease)
return { 1, left }
