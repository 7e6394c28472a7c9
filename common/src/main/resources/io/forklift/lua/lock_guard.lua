#!lua
--[[
lock_guard.lua — before a holder's first fenced write to an object, the lock records that it
guards that object, provided the holder's fence is still the newest. From then on every grant of
the lock hands its holder the object's name, and the holder publishes its new fence into the
object's fences hash (fence_publish.lua) before it uses the lock: so a write carrying an older
fence is refused by the object's own script once a newer holder may have read it.

KEYS[1]  meta hash     forklift:{m:M/N}:meta    (a lock or rlock)
KEYS[2]  fence         forklift:{m:M/N}:fence   (the fencing counter)
KEYS[3]  guards hash   forklift:{m:M/N}:guards  ('<manager>/<name>' -> 1)
ARGV[1]  the fence the write carries
ARGV[2]  the object written: '<manager>/<name>'

Returns: 1: the fence is the newest; the object is guarded by this lock from now on.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <newest fence> (a newer holder has been granted).
]]
--@include object_kind

useObject(KEYS[1], { 'lock', 'rlock' })
local newest = tonumber(redis.call('GET', KEYS[2]) or '0')
if newest > tonumber(ARGV[1]) then return redis.error_reply('FENCED ' .. newest) end
redis.call('HSET', KEYS[3], ARGV[2], '1')
return 1
