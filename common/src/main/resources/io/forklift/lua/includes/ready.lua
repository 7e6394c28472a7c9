-- ready(key): tells coordinators whose HTTP callers wait on `key` (a queue's items, a room, done or
-- event flag, a Process's exit list, a lock or barrier waiter's wake list) that it may let them through now: PUBLISH of the key on the
-- cluster's ready channel, `<prefix>ready` (the prefix is what precedes the key's hash tag). A hint
-- only: a woken caller retries its own non-blocking script, and every caller retries once a second
-- anyway, so a message lost while a coordinator reconnects delays, never loses, an answer.
local function ready(key)
  local prefix = string.match(key, '^(.-){')
  if prefix then redis.call('PUBLISH', prefix .. 'ready', key) end
end
