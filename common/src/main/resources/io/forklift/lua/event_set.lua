#!lua
--[[
event_set.lua — set or clear a shared event. Set, its flag list holds one element, so every waiter
blocked on it (BLMOVE flag flag) returns at once, and later waiters do not block.

KEYS[1]  meta hash  forklift:{m:M/N}:meta
KEYS[2]  flag       forklift:{m:M/N}:set  (state list: one element while set)
ARGV[1]  '1' to set, '0' to clear

Returns: 1.
Errors:  NOOBJECT, WRONGKIND <kind>.
]]
--@include object_kind
--@include state_list

useObject(KEYS[1], { 'event' })
setState(KEYS[2], ARGV[1] == '1')
return 1
