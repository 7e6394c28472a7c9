#!lua
--[[
preflight.lua — proves at start-up that the Redis user may run every command Forklift's scripts
run, on keys under Forklift's prefix, so a missing ACL permission stops a daemon at once with
the reason instead of failing every round trip later. Touches only its own scratch keys, which
expire a second later. PreflightScriptTest fails if a script calls a command this one does not.

KEYS[1]  scratch list    forklift:{<random>}:preflight:list
KEYS[2]  scratch hash    forklift:{<random>}:preflight:hash
KEYS[3]  scratch zset    forklift:{<random>}:preflight:zset
KEYS[4]  scratch string  forklift:{<random>}:preflight:string
ARGV[1]  how long the scratch keys live, ms
ARGV[2]  the revoked channel (forklift:revoked), published to once

Returns: 1.
]]
redis.call('RPUSH', KEYS[1], 'a')
redis.call('LPUSH', KEYS[1], 'b')
redis.call('LLEN', KEYS[1])
redis.call('LREM', KEYS[1], 0, 'a')
redis.call('LPOP', KEYS[1])
redis.call('LMOVE', KEYS[1], KEYS[1], 'LEFT', 'RIGHT')
redis.call('EXISTS', KEYS[1])
redis.call('RPUSH', KEYS[1], 'c')
redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('LINDEX', KEYS[1], 0)
redis.call('LSET', KEYS[1], 0, 'c')
redis.call('LTRIM', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], 'f', '1')
redis.call('HGET', KEYS[2], 'f')
redis.call('HMGET', KEYS[2], 'f')
redis.call('HEXISTS', KEYS[2], 'f')
redis.call('HSTRLEN', KEYS[2], 'f')
redis.call('HINCRBY', KEYS[2], 'f', 1)
redis.call('HGETALL', KEYS[2])
redis.call('HDEL', KEYS[2], 'f')
redis.call('SETBIT', KEYS[4] .. ':bits', 7, 1)
redis.call('BITFIELD', KEYS[4] .. ':bits', 'SET', 'u1', 9, 1)
redis.call('BITFIELD_RO', KEYS[4] .. ':bits', 'GET', 'u1', 7)
redis.call('PEXPIRETIME', KEYS[4] .. ':bits')
redis.call('PEXPIREAT', KEYS[4] .. ':bits', 1)
redis.call('SADD', KEYS[4] .. ':set', 'm')
redis.call('SISMEMBER', KEYS[4] .. ':set', 'm')
redis.call('SCARD', KEYS[4] .. ':set')
redis.call('SREM', KEYS[4] .. ':set', 'm')
redis.call('ZADD', KEYS[3], 1, 'm')
redis.call('ZCARD', KEYS[3])
redis.call('ZSCORE', KEYS[3], 'm')
redis.call('ZRANGE', KEYS[3], 0, -1)
redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '+inf', 'LIMIT', 0, 1)
redis.call('ZREM', KEYS[3], 'm')
redis.call('SET', KEYS[4], '1', 'PX', ARGV[1])
redis.call('GET', KEYS[4])
redis.call('INCRBY', KEYS[4], 1)
redis.call('INCRBYFLOAT', KEYS[4], 0.5)
redis.call('DEL', KEYS[4])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[1])
redis.call('TIME')
redis.call('PUBLISH', ARGV[2], 'preflight')
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
return 1
