#!lua
--[[
fence_publish.lua — a new holder of a lock records its fence in an object the lock guards, before
it uses the lock (so before it can read the object): from then on the object's write scripts
refuse every write carrying an older fence of that lock (includes/fence.lua).

KEYS[1]  meta hash    forklift:{m:M/N}:meta    (of the guarded object)
KEYS[2]  fences hash  forklift:{m:M/N}:fences  (lock '<manager>/<name>' -> highest fence)
ARGV[1]  the lock: '<manager>/<name>'
ARGV[2]  the fence its new holder got

Returns: 1 recorded (or a higher one was there already); 0 the object no longer exists.
]]
if not redis.call('HGET', KEYS[1], 'kind') then return 0 end
local seen = redis.call('HGET', KEYS[2], ARGV[1])
if not seen or tonumber(seen) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
return 1
