#!lua
--[[
pipe_send.lua — send messages from one pipe end to the other: they queue in the other end's inbox.

KEYS[1]  meta hash   forklift:{m:M/N}:meta
KEYS[2]  holds hash  forklift:{m:M/N}:holds
KEYS[3]  inbox       forklift:{m:M/N}:to:<other side>   (messages, oldest first)
KEYS[4]  wake list   forklift:{m:M/N}:wake:<other side> (a token for poll())
KEYS[5]  wake list   forklift:{m:M/N}:wake:<this side>  (woken if the other end turns out closed)
ARGV[1]  this side, left or right
ARGV[2]  this end's hold, '<side>/<holder>'
ARGV[3…] the messages

Publishes: the other end's wake list on <prefix>ready, with how many messages wait there
         (includes/ready.lua), for HTTP callers parked in recv or poll; and this end's, to all,
         when it finds the other end closed (includes/pipe_end.lua).
Returns: the number of messages sent.
Errors:  NOOBJECT, WRONGKIND <kind>; READONLY (the receive end of a one-way pipe); CLOSED (this end
         is closed, or this process's hold expired); BROKEN (the other end is closed).
]]
--@include object_kind
--@include now_ms
--@include pipe_end
--@include ready

local duplex = useObject(KEYS[1], { 'pipe' }, 'duplex')
if duplex == '0' and ARGV[1] == 'left' then return redis.error_reply('READONLY') end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then return redis.error_reply('CLOSED') end
local other = ARGV[1] == 'left' and 'right' or 'left'
local alive = endState(KEYS[1], KEYS[2], KEYS[5], other, nowMs())
if not alive then return redis.error_reply('BROKEN') end
redis.call('RPUSH', KEYS[3], unpack(ARGV, 3))
if redis.call('LLEN', KEYS[4]) == 0 then redis.call('RPUSH', KEYS[4], 'msg') end
ready(KEYS[4], redis.call('LLEN', KEYS[3]))
return #ARGV - 2
