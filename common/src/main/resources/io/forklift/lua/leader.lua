#!lua
--[[
leader.lua — take or keep the housekeeping leader lease, so one coordinator of several runs the
housekeeping. Only the holder can extend it; nobody deletes it (it expires if its holder dies).

KEYS[1]  leader key  forklift:coordinator:leader  (string: holder id, with a TTL)
ARGV[1]  this coordinator's id
ARGV[2]  lease length, ms

Returns: 1 if this coordinator holds the lease now, 0 if another one does.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
