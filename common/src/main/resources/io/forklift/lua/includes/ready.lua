-- ready(key, n): tells coordinators whose HTTP callers wait on `key` (a queue's items, a room, done or
-- event flag, a Process's exit list, a pipe end's wake list, a lock or barrier
-- waiter's wake list) that it may let them through now:
-- PUBLISH on the cluster's ready channel, `<prefix>ready` (the prefix is what precedes the key's hash
-- tag), of the key alone, or of the key, a newline and `n` when up to n callers may get through at
-- once (n values waiting, say), so a burst wakes that many callers in one go, not one after another.
-- A hint only: a woken caller retries its own non-blocking script, and every caller retries once a
-- second anyway, so a message lost while a coordinator reconnects delays, never loses, an answer.
local function ready(key, n)
  local prefix = string.match(key, '^(.-){')
  if not prefix then return end
  if n and n > 1 then
    redis.call('PUBLISH', prefix .. 'ready', key .. '\n' .. n)
  else
    redis.call('PUBLISH', prefix .. 'ready', key)
  end
end

-- readyAll(key): every caller waiting on `key` may get through (the end of a pipe's stream).
local function readyAll(key)
  ready(key, 2147483647)
end
