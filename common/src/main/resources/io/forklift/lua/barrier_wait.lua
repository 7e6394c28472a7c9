#!lua
--[[
barrier_wait.lua — a party arrives at a barrier. The last of `parties` to arrive passes at once
and wakes the others, each with its index (Java's CyclicBarrier: parties - 1 for the first to
arrive, 0 for the last); the barrier is then empty for its next round. The others wait on their
wake list, their arrival leased and renewed by their process (barrier_renew.lua).

KEYS[1]  meta hash   forklift:{m:M/N}:meta   (kind barrier, parties, lease, broken, generation)
KEYS[2]  line list   forklift:{m:M/N}:line   (waiters in arrival order)
KEYS[3]  waits zset  forklift:{m:M/N}:waits  (waiter -> deadline its process renews)
ARGV[1]  the barrier's key prefix forklift:{m:M/N}: (wake lists woken:<waiter> live under it)
ARGV[2]  waiter id

Returns: { 1, 0 } the last to arrive: every party passes; { 0, index } waiting for the others.
Errors:  NOOBJECT, WRONGKIND <kind>, BROKEN (the barrier is broken: an earlier wait timed out,
         a party died or aborted; reset() mends it).
]]
--@include object_kind
--@include now_ms
--@include barrier_parties

local lease = tonumber(useObject(KEYS[1], { 'barrier' }, 'lease'))
local now = nowMs()
reapParties(KEYS[1], KEYS[2], KEYS[3], ARGV[1], now)
if redis.call('HGET', KEYS[1], 'broken') == '1' then return redis.error_reply('BROKEN') end
local parties = tonumber(redis.call('HGET', KEYS[1], 'parties'))
local n = redis.call('RPUSH', KEYS[2], ARGV[2])
if n >= parties then
  for i, w in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
    if w ~= ARGV[2] then
      local woken = ARGV[1] .. 'woken:' .. w
      redis.call('RPUSH', woken, 'pass ' .. (parties - i))
      redis.call('PEXPIRE', woken, 60000)
      ready(woken)
    end
  end
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('HINCRBY', KEYS[1], 'generation', 1)
  return { 1, 0 }
end
redis.call('ZADD', KEYS[3], now + lease, ARGV[2])
return { 0, parties - n }
