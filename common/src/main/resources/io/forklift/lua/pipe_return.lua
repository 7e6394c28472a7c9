#!lua
--[[
pipe_return.lua — puts a message back at the head of a pipe end's inbox: a receiver over HTTP took
it, but its client went away during that very take, so no one has it. The next recv gets it, in
its place, as if it had never been taken.

KEYS[1]  meta hash   forklift:{m:M/N}:meta
KEYS[2]  inbox       forklift:{m:M/N}:to:<side>
KEYS[3]  wake list   forklift:{m:M/N}:wake:<side>
ARGV[1]  the message, as pipe_recv.lua gave it (tagged)

Publishes: the wake list on <prefix>ready, with how many messages wait (includes/ready.lua).
Returns: 1; 0 when the pipe was deleted meanwhile (the message goes with it).
]]
--@include ready

if redis.call('HEXISTS', KEYS[1], 'duplex') == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[3]) == 0 then redis.call('RPUSH', KEYS[3], 'msg') end
ready(KEYS[3], redis.call('LLEN', KEYS[2]))
return 1
