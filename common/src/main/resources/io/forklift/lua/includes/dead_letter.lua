-- deadLetter(dead, replyPrefix, ttl, record, client): a task that will not run again. Its record
-- ({ id, queue, reason, error, message, worker, attempt }) goes to the dead list and, when its
-- client is known, a failure reply carrying the same error to that client's reply list, kept for
-- ttl ms, so nothing waits for it forever. An error's stack is left out: cjson writes an empty
-- table as {}.
local function deadLetter(dead, replyPrefix, ttl, record, client)
  redis.call('RPUSH', dead, cjson.encode(record))
  if client then
    local replies = replyPrefix .. client
    redis.call('RPUSH', replies, cjson.encode({ id = record.id, ok = false, error = record.error,
      worker = record.worker, attempt = record.attempt }))
    redis.call('PEXPIRE', replies, ttl)
  end
end
