#!lua
--[[
pipe_hold.lua — a process binds, renews or releases its holds on pipe ends. An end lives while
some process holds it (a hold is leased, renewed every third of the lease by its process); when
the last hold of an end is released, or has expired, the end is closed and the other end's recv
drains what was sent, then ends (EOF).

KEYS[1]  meta hash    forklift:{m:M/N}:meta       (duplex, lease, bound:<side>, closed:<side>)
KEYS[2]  holds hash   forklift:{m:M/N}:holds      ('<side>/<holder>' -> deadline, ms, Redis clock)
KEYS[3]  wake list    forklift:{m:M/N}:wake:left  (woken when the right end closes)
KEYS[4]  wake list    forklift:{m:M/N}:wake:right (woken when the left end closes)
ARGV[1]  'bind', 'renew' or 'release'
ARGV[2…] holds, '<side>/<holder>', side left or right

Returns: bind, release: 1. renew: the holds no longer there (expired and reaped): their process
         lost the end.
Publishes: the other end's wake list on <prefix>ready, to all, when a release closes an end
         (includes/pipe_end.lua).
Errors:  NOOBJECT, WRONGKIND <kind>; bind: CLOSED <side> when that end is closed already.
]]
--@include object_kind
--@include now_ms
--@include pipe_end

local lease = tonumber(useObject(KEYS[1], { 'pipe' }, 'lease'))
local now = nowMs()
local function wakePeer(side) return side == 'left' and KEYS[4] or KEYS[3] end
local op, lost, released = ARGV[1], {}, {}
for i = 2, #ARGV do
  local hold = ARGV[i]
  local side = string.match(hold, '^(%a+)/')
  if op == 'bind' then
    if redis.call('HEXISTS', KEYS[1], 'closed:' .. side) == 1 then return redis.error_reply('CLOSED ' .. side) end
    redis.call('HSET', KEYS[2], hold, now + lease)
    redis.call('HSET', KEYS[1], 'bound:' .. side, '1')
  elseif op == 'renew' then
    if redis.call('HEXISTS', KEYS[2], hold) == 1 then
      redis.call('HSET', KEYS[2], hold, now + lease)
    else
      lost[#lost + 1] = hold
    end
  else
    redis.call('HDEL', KEYS[2], hold)
    released[side] = true
  end
end
for side in pairs(released) do endState(KEYS[1], KEYS[2], wakePeer(side), side, now) end
if op == 'renew' then return lost end
return 1
