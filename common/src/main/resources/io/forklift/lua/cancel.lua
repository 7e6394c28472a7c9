#!lua
--[[
cancel.lua — withdraw tasks that no worker has claimed yet (Pool.terminate).

KEYS[1]  ready list     forklift:{q}:ready
KEYS[2]  messages hash  forklift:{q}:msgs
ARGV[1…] task ids

Returns: the number of tasks withdrawn. Tasks already leased to a worker are left alone.
]]
local withdrawn = 0
for i = 1, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) > 0 then
    redis.call('HDEL', KEYS[2], ARGV[i])
    withdrawn = withdrawn + 1
  end
end
return withdrawn
