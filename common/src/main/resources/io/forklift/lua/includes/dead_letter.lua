-- deadLetter(dead, unreplied, record, client): a task that will not run again. Its record ({ id, queue,
-- reason, error, message, worker, attempt, pool: its capped pool, nil for none }) goes to the dead list.
-- When its client is known, the failure reply it is owed waits in the unreplied hash (id -> { client,
-- error, worker, attempt }) until a daemon signs it with the authkey and delivers it (deliver.lua): a
-- script cannot sign, and an unsigned reply would be refused. An error's stack is left out: cjson writes an empty
-- table as {}.
local function deadLetter(dead, unreplied, record, client)
  redis.call('RPUSH', dead, cjson.encode(record))
  if client then
    redis.call('HSET', unreplied, record.id, cjson.encode({ client = client, error = record.error,
      worker = record.worker, attempt = record.attempt }))
  end
end
