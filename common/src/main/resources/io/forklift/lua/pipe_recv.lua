#!lua
--[[
pipe_recv.lua — receive at one pipe end: the oldest message of its inbox; or, when the inbox is
empty, whether the other end is closed (end of stream) or how long the caller may block before it
must look again (the other end's holds expire then unless renewed).

KEYS[1]  meta hash   forklift:{m:M/N}:meta
KEYS[2]  holds hash  forklift:{m:M/N}:holds
KEYS[3]  inbox       forklift:{m:M/N}:to:<this side>
KEYS[4]  wake list   forklift:{m:M/N}:wake:<this side>
ARGV[1]  this side, left or right
ARGV[2]  this end's hold, '<side>/<holder>'
ARGV[3]  '1' to take the message, '0' only to look (poll)

Returns: { 'msg', message } (with ARGV[3] '0': { 'msg' }), { 'eof' }, or { 'wait', ms } where ms is
         how long until the other end's holds expire (block on [inbox, wake list] that long at most).
Publishes: this end's wake list on <prefix>ready, to all, when it finds the other end closed
         (includes/pipe_end.lua).
Errors:  NOOBJECT, WRONGKIND <kind>; CLOSED (this end is closed or this process's hold expired);
         WRITEONLY (the send end of a one-way pipe).
]]
--@include object_kind
--@include now_ms
--@include pipe_end

local duplex = useObject(KEYS[1], { 'pipe' }, 'duplex')
if duplex == '0' and ARGV[1] == 'right' then return redis.error_reply('WRITEONLY') end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 0 then return redis.error_reply('CLOSED') end
if ARGV[3] == '1' then
  local msg = redis.call('LPOP', KEYS[3])
  if msg then return { 'msg', msg } end
elseif redis.call('LLEN', KEYS[3]) > 0 then
  return { 'msg' }
end
local other = ARGV[1] == 'left' and 'right' or 'left'
local now = nowMs()
local alive, latest = endState(KEYS[1], KEYS[2], KEYS[4], other, now)
if not alive then return { 'eof' } end
return { 'wait', latest - now }
