#!lua
--[[
process_end.lua — record how a Process ended and wake everyone joining it. The first end wins: a
later one (the child's exit after its result was recorded, a withdrawal racing a start) changes
nothing, so exitCode is written once.

KEYS[1]  registry hash  forklift:{_processes}:proc:<id>
KEYS[2]  exit list      forklift:{_processes}:exit:<id>  (state list: joiners BLMOVE it onto itself)
ARGV[1]  exit code: 0 on return, 1 on an exception, -N when ended by signal N, else the child's status
ARGV[2]  the error's text, '' for none
ARGV[3]  how long both keys stay once ended, in ms (the result TTL)

Publishes: the exit list on <prefix>ready once ended (includes/ready.lua).
Returns: 1 if this call recorded the end, 0 if it had been recorded already.
]]
--@include now_ms
--@include ready

if redis.call('HEXISTS', KEYS[1], 'exitCode') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'exitCode', ARGV[1], 'state', 'ended', 'endedAt', nowMs())
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'error', ARGV[2]) end
redis.call('DEL', KEYS[2])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
ready(KEYS[2])
return 1
