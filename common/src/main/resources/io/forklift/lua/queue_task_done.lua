#!lua
--[[
queue_task_done.lua — JoinableQueue.task_done(): one fewer unfinished value; when none is left the
done flag goes on and every join() returns.

KEYS[1]  meta hash  forklift:{m:M/N}:meta  (field unfinished)
KEYS[2]  done flag  forklift:{m:M/N}:done  (state list: one element while nothing is unfinished)
ARGV[1]  how many values are done

Returns: the unfinished count left.
Errors:  NOOBJECT, WRONGKIND <kind>; TOOMANY when more are done than were put (nothing changes).
]]
--@include object_kind
--@include state_list

useObject(KEYS[1], { 'joinable' })
local left = tonumber(redis.call('HGET', KEYS[1], 'unfinished') or '0') - tonumber(ARGV[1])
if left < 0 then return redis.error_reply('TOOMANY task_done() called more times than values were put') end
redis.call('HSET', KEYS[1], 'unfinished', left)
if left == 0 then setState(KEYS[2], true) end
return left
