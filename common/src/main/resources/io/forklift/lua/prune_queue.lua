#!lua
--[[
prune_queue.lua — keep what a queue holds about the past bounded: drop the fence fields of workers
whose heartbeat stopped long ago (their ids are given; the workers sorted set forgets them after
this), and cap the dead list at its newest records, dropping the oldest (Sidekiq caps its dead set
the same way). Idempotent: run by the housekeeping leader.

KEYS[1]  fences hash  forklift:{q}:fences   (worker id -> token of its newest claiming round trip)
KEYS[2]  dead list    forklift:{q}:dead     (dead-letter records, JSON, oldest first)
ARGV[1]  most dead-letter records to keep (the newest), at least 1
ARGV[2…] ids of workers gone long ago, whose fence fields go (none is fine)

Returns: { fence fields removed, dead-letter records dropped }
]]
local fences = 0
if #ARGV > 1 then fences = redis.call('HDEL', KEYS[1], unpack(ARGV, 2)) end
local keep = tonumber(ARGV[1])
local dropped = redis.call('LLEN', KEYS[2]) - keep
if dropped > 0 then
  redis.call('LTRIM', KEYS[2], -keep, -1)
else
  dropped = 0
end
return { fences, dropped }
