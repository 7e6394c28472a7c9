#!lua
--[[
cancel.lua — withdraw tasks that no worker has claimed yet (Pool.terminate).

KEYS[1]  ready list  forklift:{q}:ready
ARGV[1]  task key prefix (forklift:{q}:task:)
ARGV[2…] task ids

Returns: the number of tasks withdrawn. Tasks already running are left alone.
]]
local withdrawn = 0
for i = 2, #ARGV do
  local key = ARGV[1] .. ARGV[i]
  if redis.call('HGET', key, 'state') == 'ready' then
    redis.call('LREM', KEYS[1], 1, ARGV[i])
    redis.call('DEL', key)
    withdrawn = withdrawn + 1
  end
end
return withdrawn
