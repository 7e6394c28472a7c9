#!lua
--[[
barrier_renew.lua — a process renews the arrivals of its parties waiting at a barrier, every
third of the lease. An arrival whose process stopped renewing it (the party died) is found here
by any surviving party's renewal and breaks the barrier for all.

KEYS[1]  meta hash   forklift:{m:M/N}:meta
KEYS[2]  line list   forklift:{m:M/N}:line
KEYS[3]  waits zset  forklift:{m:M/N}:waits
ARGV[1]  the barrier's key prefix forklift:{m:M/N}:
ARGV[2…] ids of this process's waiters

Returns: the waiters no longer waiting (their wake list says why: passed or broken).
Errors:  NOOBJECT, WRONGKIND <kind>.
]]
--@include object_kind
--@include now_ms
--@include barrier_parties

local lease = tonumber(useObject(KEYS[1], { 'barrier' }, 'lease'))
local now = nowMs()
reapParties(KEYS[1], KEYS[2], KEYS[3], ARGV[1], now)
local gone = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[3], ARGV[i]) then
    redis.call('ZADD', KEYS[3], now + lease, ARGV[i])
  else
    gone[#gone + 1] = ARGV[i]
  end
end
return gone
