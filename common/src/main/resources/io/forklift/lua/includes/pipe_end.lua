--@include ready
-- endState(meta, holds, wakePeer, side, now): whether a pipe end is alive. Each process that holds an
-- end (a copy of it, as a file descriptor in Python) keeps a leased hold, holds field
-- '<side>/<holder>' -> deadline (ms, Redis clock). An end is closed once it had holds and none is
-- live any more (closed or expired): meta field 'closed:<side>' is set then, and a token goes to the
-- peer's wake list so a recv blocked there sees the end of the stream at once, and that list is named
-- on the ready channel for every HTTP caller parked on it (readyAll). An end not bound yet
-- (in transit to a task) counts as alive. Returns: alive (boolean), latest deadline of its holds (ms).
local function endState(meta, holds, wakePeer, side, now)
  if redis.call('HEXISTS', meta, 'closed:' .. side) == 1 then return false, 0 end
  local all, live, latest, expired = redis.call('HGETALL', holds), 0, 0, {}
  local prefix = side .. '/'
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, #prefix) == prefix then
      local deadline = tonumber(all[i + 1])
      if deadline > now then
        live = live + 1
        if deadline > latest then latest = deadline end
      else
        expired[#expired + 1] = all[i]
      end
    end
  end
  if #expired > 0 then redis.call('HDEL', holds, unpack(expired)) end
  if live > 0 then return true, latest end
  if #expired == 0 and redis.call('HGET', meta, 'bound:' .. side) ~= '1' then
    return true, now + tonumber(redis.call('HGET', meta, 'lease'))
  end
  redis.call('HSET', meta, 'closed:' .. side, '1')
  redis.call('RPUSH', wakePeer, 'eof')
  readyAll(wakePeer)
  return false, 0
end
