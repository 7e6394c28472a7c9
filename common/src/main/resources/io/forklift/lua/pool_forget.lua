#!lua
--[[
pool_forget.lua — forgets the caps of pools whose client's liveness lease is gone (killed without a
close, which would have removed them), each only once nothing of the pool is left: no task in its
lane and none holding one of its slots. The caller reads the leases (another slot on Redis Cluster)
and names the pools; this script checks what the pool holds in the same step as the removal, so a
task submitted or started between the two is never left without its cap.

KEYS[1]  pools hash        forklift:{q}:pools         (pool id -> cap, <pool>:sig -> its signature)
KEYS[2]  lanes list        forklift:{q}:lanes         (a pool's lane is forklift:{q}:lanes:<pool>)
KEYS[3]  pool-running hash forklift:{q}:pool_running  (pool id -> its tasks holding a slot)
ARGV[1…] ids of pools whose client's lease is gone

Returns: the ids of the pools forgotten.
]]
local forgotten = {}
for _, pool in ipairs(ARGV) do
  local running = tonumber(redis.call('HGET', KEYS[3], pool) or '0')
  if running <= 0 and redis.call('EXISTS', KEYS[2] .. ':' .. pool) == 0 then
    if redis.call('HDEL', KEYS[1], pool, pool .. ':sig') > 0 then forgotten[#forgotten + 1] = pool end
  end
end
return forgotten
