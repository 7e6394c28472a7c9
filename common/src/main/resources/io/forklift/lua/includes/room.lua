-- markRoom(meta, items, room): for a bounded queue (meta field maxsize > 0), keep the room flag
-- (a state list, see state_list) on while items holds fewer than maxsize values, so producers
-- blocked on a full queue wake as soon as a take makes space.
local function markRoom(maxsize, items, room)
  if maxsize > 0 then setState(room, redis.call('LLEN', items) < maxsize) end
end
