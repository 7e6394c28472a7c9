#!lua
--[[
complete.lua — record how claimed tasks ended and route each reply to its submitter's reply list.
Exactly-once completion: a completion whose attempt is not the task's current running attempt is
rejected (the task was requeued and claimed again, or already completed).

KEYS[1]  in-flight zset  forklift:{q}:inflight
KEYS[2]  ready list      forklift:{q}:ready
KEYS[3]  wake list       forklift:{q}:wake
KEYS[4]  dead list       forklift:{q}:dead
ARGV[1]  task key prefix   (forklift:{q}:task:)
ARGV[2]  reply key prefix  (forklift:{q}:reply:)
ARGV[3]  result TTL, ms (task hashes and reply lists expire after it)
ARGV[4…] quadruples: task id, attempt, final state ('done' | 'failed' | 'dead'), reply JSON

Returns: array of the task ids whose completion was rejected as stale.
Side effect: a dead task keeps its message and no TTL, and its id goes on the dead list.
]]
local stale = {}
for i = 4, #ARGV, 4 do
  local id, attempt, state, reply = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local key = ARGV[1] .. id
  local cur = redis.call('HMGET', key, 'attempt', 'state', 'client')
  if cur[1] ~= attempt or cur[2] ~= 'running' then
    stale[#stale + 1] = id
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HSET', key, 'state', state, 'result', reply)
    if state == 'dead' then
      redis.call('RPUSH', KEYS[4], id)
    else
      redis.call('HDEL', key, 'msg')
      redis.call('PEXPIRE', key, ARGV[3])
    end
    local replies = ARGV[2] .. cur[3]
    redis.call('RPUSH', replies, reply)
    redis.call('PEXPIRE', replies, ARGV[3])
  end
end
if redis.call('LLEN', KEYS[2]) > 0 and redis.call('LLEN', KEYS[3]) == 0 then
  redis.call('RPUSH', KEYS[3], '1')
end
return stale
