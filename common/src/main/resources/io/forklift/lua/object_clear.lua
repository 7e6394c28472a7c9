#!lua
--[[
object_clear.lua — empty a shared dict, namespace or list (its one data key), as Map.clear() and
List.clear(); the object itself stays.

KEYS[1]  meta hash    forklift:{m:M/N}:meta
KEYS[2]  data key     forklift:{m:M/N}:hash or :list
KEYS[3]  fences hash  forklift:{m:M/N}:fences
ARGV[1]  lock name of a fenced write, '' for none
ARGV[2]  its fencing token
ARGV[3]  kind the caller holds: dict, namespace or list

Returns: 1.
Errors:  NOOBJECT, WRONGKIND <kind>, FENCED <token>.
]]
--@include object_kind
--@include fence

useObject(KEYS[1], { ARGV[3] })
checkFence(KEYS[3], ARGV[1], ARGV[2])
redis.call('DEL', KEYS[2])
return 1
