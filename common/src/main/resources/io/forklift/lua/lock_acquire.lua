#!lua
--[[
lock_acquire.lua — take a lock, rlock or semaphore, or join its line of waiters. Holds whose lease
ran out are reaped first (their permits go to the line before anyone new). A grant is a leased hold
with a fresh fencing token (INCRBY on the fence key, so it only grows, across restarts with AOF);
an rlock's holder re-entering only counts. Nobody overtakes a waiter already in line.

KEYS[1]  meta hash     forklift:{m:M/N}:meta     (kind, lease, permits, free)
KEYS[2]  fence         forklift:{m:M/N}:fence    (string: the fencing counter)
KEYS[3]  holders zset  forklift:{m:M/N}:holders  (holder -> lease deadline, ms)
KEYS[4]  owned hash    forklift:{m:M/N}:owned    (holder -> '<fence> <count>')
KEYS[5]  line list     forklift:{m:M/N}:line     (waiter ids, FIFO)
KEYS[6]  waiting hash  forklift:{m:M/N}:waiting  (waiter -> '<holder> <count> <state>')
KEYS[7]  waits zset    forklift:{m:M/N}:waits    (waiter -> deadline its process renews)
KEYS[8]  guards hash   forklift:{m:M/N}:guards   (objects written with this lock's fences)
ARGV[1]  the object's key prefix forklift:{m:M/N}: (wake lists woken:<waiter> live under it)
ARGV[2]  kind the caller holds: lock, rlock, semaphore or bounded_semaphore
ARGV[3]  holder: '<process id>.<thread id>'
ARGV[4]  permits wanted (1 for a lock or rlock)
ARGV[5]  waiter id to join the line with when it cannot be granted now; '' to only try

Returns: { 1, '<fence>\t<guarded object>…' } granted;
         { 2, fence, re-entries } an rlock's holder re-entered;
         { 0, ms until the earliest hold ends or -1 } waiting in line as ARGV[5];
         { -1 } not granted and not waiting (ARGV[5] '').
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
handOff(k, kind, now, lease) -- permits the reaping freed go to those already in line
local holder, count = ARGV[3], tonumber(ARGV[4])
if kind == 'rlock' then
  local own = redis.call('HGET', k.owned, holder)
  if own then
    local f, c = parseOwned(own)
    redis.call('HSET', k.owned, holder, f .. ' ' .. (c + 1))
    return { 2, tonumber(f), c + 1 }
  end
end
local need = permitsOf(kind, count)
if redis.call('LLEN', k.line) == 0 and tonumber(redis.call('HGET', k.meta, 'free')) >= need then
  redis.call('HINCRBY', k.meta, 'free', -need)
  return { 1, grantToken(k, kind, grant(k, holder, count, now, lease)) }
end
local w = ARGV[5]
if w == '' then return { -1 } end
redis.call('RPUSH', k.line, w)
redis.call('HSET', k.waiting, w, holder .. ' ' .. count .. ' q')
redis.call('ZADD', k.waits, now + lease, w)
return { 0, earliestEnd(k, now) }
