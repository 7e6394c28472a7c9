#!lua
--[[
release.lua — a draining worker gives back tasks it leased but will not finish: back to the front
of the ready list, the attempt not counted (the worker chose to stop, the task did not fail).

KEYS[1]  in-flight zset  forklift:{q}:inflight
KEYS[2]  ready list      forklift:{q}:ready
KEYS[3]  owners hash     forklift:{q}:owners
KEYS[4]  attempts hash   forklift:{q}:attempts
KEYS[5]  wake list       forklift:{q}:wake
KEYS[6]  running set     forklift:{q}:running   (tasks holding a slot under the cap; freed here)
KEYS[7]  lanes list      forklift:{q}:lanes     (a capped pool's task goes back to the front of its lane)
KEYS[8]  pool counts     forklift:{q}:pool_running (pool -> its tasks holding a slot)
KEYS[9]  pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  worker id
ARGV[2…] pairs: task id, attempt

Returns: the number of tasks given back (a lease this worker no longer holds is left alone).
]]
--@include give_back
--@include wake

local P = { lanes = KEYS[7], running = KEYS[8], of = KEYS[9] }
local released = 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[3], id) == ARGV[i + 1] .. ':' .. ARGV[1] then
    giveBack(KEYS[1], KEYS[3], KEYS[4], KEYS[2], KEYS[6], id, P)
    released = released + 1
  end
end
if released > 0 then wakeIfReady(KEYS[2], KEYS[5], KEYS[7]) end
return released
