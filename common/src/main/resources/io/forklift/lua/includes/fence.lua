-- checkFence(fences, lock, token): a write guarded by a lock's fencing token. `fences` is the
-- object's own hash (same slot): lock name -> highest token a write has carried. A write whose
-- token is lower than one already seen comes from a holder that lost the lock, and is refused
-- (FENCED <highest>); otherwise its token is recorded. An empty lock name means an unguarded write.
local function checkFence(fences, lock, token)
  if lock == '' then return end
  local seen = redis.call('HGET', fences, lock)
  if seen and tonumber(seen) > tonumber(token) then return error({ err = 'FENCED ' .. seen }) end
  if seen ~= token then redis.call('HSET', fences, lock, token) end
end
