#!lua
--[[
renew.lua — extend the leases a worker still holds; report the ones it has lost.

KEYS[1]  in-flight zset  forklift:{q}:inflight  (task id -> lease deadline, ms, Redis clock)
KEYS[2]  owners hash     forklift:{q}:owners    (task id -> "<attempt>:<worker id>")
ARGV[1]  worker id
ARGV[2]  lease length, ms
ARGV[3…] pairs: task id, attempt

Returns: array of the task ids whose lease this worker no longer holds (expired and requeued,
         or leased again to someone else); their results will be rejected.
]]
--@include now_ms

local deadline = nowMs() + tonumber(ARGV[2])
local lost, leases = {}, {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[2], id) == ARGV[i + 1] .. ':' .. ARGV[1] then
    leases[#leases + 1] = deadline
    leases[#leases + 1] = id
  else
    lost[#lost + 1] = id
  end
end
if #leases > 0 then redis.call('ZADD', KEYS[1], 'XX', unpack(leases)) end
return lost
