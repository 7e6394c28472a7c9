#!lua
--[[
claim.lua — lease up to N ready tasks to one worker. One round trip per batch. After a round trip
whose reply never arrived, first give back the leases the worker holds without knowing: a claim
that ran in Redis (a hung server runs the commands it had buffered when it resumes; a killed
connection may drop only the reply) whose tasks never reached the worker. They go back to the
front of the ready list, the attempt not counted. Done here, in one script with the claim, so a
NOSCRIPT re-run can never give back what the same round trip just claimed.
The queue's cap counts running tasks, not leases: a task holds a slot (the running set) from when a
child of its worker may start it until it ends, is given back or requeued. Tasks for idle children get
a slot here if one is free; prefetched tasks get none, and start only on a child freed by a run of
this worker in this queue, which passes its slot on (complete.lua), or once a later claim grants one
(ARGV[13…]). So one worker never holds slots for tasks that wait while other workers' children idle.
A pool with a cap of its own (fl.pool(q, n)) keeps its tasks in its lane; idle children take from the
lanes first, round robin over the pools with waiting tasks and a free slot, each task with a slot, then
from the ready list; prefetching takes from the ready list, then the lanes. A prefetched task of a capped
pool starts only on a slot freed by a run of its own pool. Visits only pools with waiting tasks.

KEYS[1]  ready list      forklift:{q}:ready
KEYS[2]  in-flight zset  forklift:{q}:inflight  (task id -> lease deadline, ms, Redis clock)
KEYS[3]  unreplied hash  forklift:{q}:unreplied (failure replies owed to clients, for deliver.lua)
KEYS[4]  wake list       forklift:{q}:wake
KEYS[5]  messages hash   forklift:{q}:msgs
KEYS[6]  attempts hash   forklift:{q}:attempts  (task id -> runs started)
KEYS[7]  owners hash     forklift:{q}:owners    (task id -> "<attempt>:<worker id>", the lease holder)
KEYS[8]  dead list       forklift:{q}:dead      (dead-letter records, JSON)
KEYS[9]  fences hash     forklift:{q}:fences    (worker id -> token of its newest claiming round trip)
KEYS[10] meta hash       forklift:{q}:meta      (field concurrency: the queue's --max-running, read when ARGV[8] is '')
KEYS[11] running set     forklift:{q}:running   (tasks holding a slot)
KEYS[12] lanes list      forklift:{q}:lanes     (capped pools whose lane, forklift:{q}:lanes:<pool>, holds tasks)
KEYS[13] pools hash      forklift:{q}:pools     (pool -> its cap; read when ARGV[12] is '')
KEYS[14] pool counts     forklift:{q}:pool_running (pool -> its tasks holding a slot)
KEYS[15] pool-of hash    forklift:{q}:pool_of   (task id -> its capped pool)
ARGV[1]  most tasks to claim (for the worker's idle children and its prefetch buffer)
ARGV[2]  worker id
ARGV[3]  lease length, ms
ARGV[4]  largest task message the worker accepts, bytes (its --max-payload)
ARGV[5]  queue name (for dead-letter records)
ARGV[6]  done bitmap prefix (forklift:{q}:done:) to refuse a task that already ran, replayed; '' not
ARGV[7]  fence token of this round trip: start time and trip number of the worker process,
         zero-padded so later trips compare greater as strings
ARGV[8]  the queue's --max-running (at most this many of its tasks running, all pools; 0 for none) as
         the worker verified it with the authkey, so a setting written without the key is ignored;
         '' in a cluster without an authkey: then the cap stored in KEYS[10] counts as it stands
ARGV[9]  '1' to give back first this worker's leases in this queue other than the held ids, and to
         return again the failure replies still owed for tasks this worker dropped (the lost reply may
         have carried them; deliver.lua delivers each once); '0' not
ARGV[10] how many of the tasks claimed idle children would start at once (they get slots while free;
         idle children left without a slot get no task)
ARGV[11] k: prefetched tasks of this worker that idle children could start, asking for a slot
ARGV[12] the pools' caps as the worker verified them with the authkey: ';' then 'pool=cap;' each (0: its
         stored cap was refused, so the pool has none); a pool stored in KEYS[13] but not named here
         (new since the worker last read) starts nothing yet. '' without an authkey: KEYS[13] counts
ARGV[13…] k pairs: task id, attempt (a slot is granted while one is free and the worker holds the lease)
then      with ARGV[9] '1': the task ids the worker knows it holds here (running or prefetched)

Returns: { tasks given back (-1: fenced out, see below), n, then n pairs (task id, owed failure JSON) for the worker to sign and
         deliver, then g and the g ids of ARGV[13…] granted a slot, then quintuples: task id, attempt
         number (1 on the first run), 1 if it holds a slot (may start at once) or 0 (prefetched), its
         capped pool ('' for none), task message as stored }.
         Ids without a message (withdrawn) are dropped. A message over ARGV[4] bytes (written around
         the client's own limit) is never returned, so no worker reads it into its heap: it is
         dead-lettered here as too_large and dropped, and its client is owed a failure reply (found by
         its id, "<client id>-<sequence>": the message itself is not read). With ARGV[6], a task whose
         bit in its client's done bitmap is set already ran: a copy of its message was pushed again,
         so it is dead-lettered as replayed, unread and unanswered.
         A round trip older than one already seen from this worker (run late, after newer ones, or
         sent by another process started with the same worker id, which is then fenced out)
         neither gives back nor claims anything: its idea of what the worker holds is out of date.
         An id over 128 bytes (written around the client, which makes short ones) is dead-lettered
         as invalid_id, unread: no child, lease or renewal is spent on it.
Side effect: if ready tasks remain, leaves a wake token so another idle worker takes them.
]]
--@include now_ms
--@include wake
--@include give_back
--@include dead_letter
--@include task_id
--@include done_bits
--@include pools

local P = { lanes = KEYS[12], running = KEYS[14], of = KEYS[15] }

-- Give back the leases this worker holds in this queue without knowing: every one but the held ids.
local function giveBackUnknown()
  local held, count = {}, 0
  for i = 13 + 2 * tonumber(ARGV[11]), #ARGV do held[ARGV[i]] = true end
  local owners = redis.call('HGETALL', KEYS[7])
  for i = 1, #owners, 2 do
    local id = owners[i]
    if string.match(owners[i + 1], '^%d+:(.*)$') == ARGV[2] and not held[id] then
      giveBack(KEYS[2], KEYS[7], KEYS[6], KEYS[1], KEYS[11], id, P)
      count = count + 1
    end
  end
  return count
end

-- The failure replies still owed for tasks this worker dropped, as (id, owed JSON) pairs.
local function stillOwed()
  local owed, all = {}, redis.call('HGETALL', KEYS[3])
  for i = 1, #all, 2 do
    if cjson.decode(all[i + 1]).worker == ARGV[2] then
      owed[#owed + 1] = all[i]
      owed[#owed + 1] = all[i + 1]
    end
  end
  return owed
end

-- Slots free under the queue's --max-running; without one, as many as anyone could ask for.
local function freeSlots()
  local limit = tonumber(ARGV[8] ~= '' and ARGV[8] or redis.call('HGET', KEYS[10], 'concurrency') or '0') or 0
  if limit <= 0 then return 2147483647 end
  return limit - redis.call('SCARD', KEYS[11])
end

-- The pools' caps as the worker verified them (ARGV[12]), or nil: then the stored ones count.
local verified = nil
if ARGV[12] ~= '' then
  verified = {}
  for pool, cap in string.gmatch(ARGV[12], '([^;=]+)=(%d+)') do verified[pool] = tonumber(cap) end
end

-- Slots free in a pool: its cap less its tasks holding one. A pool without a cap is not limited; one
-- whose stored cap the worker has not verified yet starts nothing until it has.
local function poolFree(pool)
  local cap
  if verified then
    cap = verified[pool]
    if cap == nil and redis.call('HEXISTS', KEYS[13], pool) == 1 then return 0 end
  else
    cap = tonumber(redis.call('HGET', KEYS[13], pool) or '0')
  end
  if cap == nil or cap <= 0 then return 2147483647 end
  return cap - tonumber(redis.call('HGET', KEYS[14], pool) or '0')
end

-- Grants slots to the worker's prefetched tasks that idle children could start, while slots are free.
local function grant(free, out)
  local asked, granted = tonumber(ARGV[11]), {}
  for i = 13, 11 + 2 * asked, 2 do
    if free <= 0 then break end
    if redis.call('HGET', KEYS[7], ARGV[i]) == ARGV[i + 1] .. ':' .. ARGV[2] then
      local pool = redis.call('HGET', KEYS[15], ARGV[i]) or nil
      if redis.call('SISMEMBER', KEYS[11], ARGV[i]) == 1 then
        granted[#granted + 1] = ARGV[i] -- holds one already (a grant whose reply it missed): counted once
      elseif not pool or poolFree(pool) > 0 then
        if pool then redis.call('HINCRBY', KEYS[14], pool, 1) end
        redis.call('SADD', KEYS[11], ARGV[i])
        granted[#granted + 1] = ARGV[i]
        free = free - 1
      end
    end
  end
  out[#out + 1] = #granted
  for _, id in ipairs(granted) do out[#out + 1] = id end
  return free
end

-- A task that will not be leased: its message and attempts go, its record goes to the dead list.
local function drop(id, reason, message, owedTo)
  redis.call('HDEL', KEYS[5], id)
  local attempt = tonumber(redis.call('HGET', KEYS[6], id) or '0') + 1
  redis.call('HDEL', KEYS[6], id)
  local pool = redis.call('HGET', KEYS[15], id) or nil
  if pool then redis.call('HDEL', KEYS[15], id) end
  deadLetter(KEYS[8], KEYS[3], { id = id, queue = ARGV[5], reason = reason,
    error = { type = 'io.forklift.InvalidTaskException', message = message }, message = '', worker = ARGV[2],
    attempt = attempt, pool = pool }, owedTo)
end

-- Drop the ids that are too long (invalid_id), already ran (replayed) or whose message is over the
-- worker's limit (too_large), all unread; returns the ids to lease and the failure replies now owed.
local function screen(ids)
  local fit, owed, maxBytes = {}, {}, tonumber(ARGV[4])
  local ran = ARGV[6] ~= '' and ranAlready(ARGV[6], ids) or {}
  for _, id in ipairs(ids) do
    local size = redis.call('HSTRLEN', KEYS[5], id)
    if #id > 128 then
      drop(id, 'invalid_id', 'a task id of ' .. #id .. " bytes in queue '" .. ARGV[5] .. "' is over the limit of 128;"
        .. ' it was dropped unread', nil)
    elseif ran[id] then
      drop(id, 'replayed', 'task ' .. id .. " in queue '" .. ARGV[5] .. "' already ran; a copy of its message was"
        .. ' pushed again and was refused unread', nil)
    elseif size > maxBytes then
      local client = clientOf(id)
      drop(id, 'too_large', 'task ' .. id .. " in queue '" .. ARGV[5] .. "' is " .. size .. ' bytes, over the limit of '
        .. ARGV[4] .. ' bytes of worker ' .. ARGV[2] .. ' (--max-payload); its message was dropped unread, not kept'
        .. ' in this record. Pass large data by reference (a URL or a key)', client)
      if client then
        owed[#owed + 1] = id
        owed[#owed + 1] = redis.call('HGET', KEYS[3], id)
      end
    else
      fit[#fit + 1] = id
    end
  end
  return fit, owed
end

-- Lease the ids whose message is still stored (a withdrawn task has none): attempt, deadline and
-- holder; a capped pool's task (pools: id -> pool) taken with a slot (withSlot) gets one, and the first
-- `slots` of the others; the rest are prefetched. Appends the quintuples to out.
local function lease(ids, pools, withSlot, slots, out)
  if #ids == 0 then return out end
  local msgs = redis.call('HMGET', KEYS[5], unpack(ids))
  -- attempts read and written with one call each for the batch, not one HINCRBY per task
  local runs = redis.call('HMGET', KEYS[6], unpack(ids))
  -- numbers made strings once (string.format: see doneBitOf), not by Lua at each use
  local deadline = string.format('%d', nowMs() + tonumber(ARGV[3]))
  local leases, owners, attempts, slotted, poolSlots, defaultSlots = {}, {}, {}, {}, {}, 0
  for i, id in ipairs(ids) do
    if msgs[i] then
      local attempt = (tonumber(runs[i]) or 0) + 1
      local run = runs[i] and string.format('%d', attempt) or '1'
      attempts[#attempts + 1] = id
      attempts[#attempts + 1] = run
      leases[#leases + 1] = deadline
      leases[#leases + 1] = id
      owners[#owners + 1] = id
      owners[#owners + 1] = run .. ':' .. ARGV[2]
      local pool = pools[id]
      local slot
      if pool then
        slot = withSlot[id] == true
        if slot then
          slotted[#slotted + 1] = id
          poolSlots[pool] = (poolSlots[pool] or 0) + 1
        end
      else
        slot = defaultSlots < slots
        if slot then
          slotted[#slotted + 1] = id
          defaultSlots = defaultSlots + 1
        end
      end
      out[#out + 1] = id
      out[#out + 1] = attempt
      out[#out + 1] = slot and 1 or 0
      out[#out + 1] = pool or ''
      out[#out + 1] = msgs[i]
    end
  end
  if #leases > 0 then
    redis.call('ZADD', KEYS[2], unpack(leases))
    redis.call('HSET', KEYS[7], unpack(owners))
    redis.call('HSET', KEYS[6], unpack(attempts))
  end
  if #slotted > 0 then redis.call('SADD', KEYS[11], unpack(slotted)) end
  for pool, taken in pairs(poolSlots) do redis.call('HINCRBY', KEYS[14], pool, taken) end
  return out
end

-- Takes up to `slots` tasks from the capped pools' lanes, each pool at most its free slots, the pools in
-- turn (each visited goes to the back of KEYS[12], so the next claim starts with another). Appends the
-- ids to ids and notes each one's pool and slot; returns how many were taken.
local function takeFromLanes(slots, ids, pools, withSlot)
  local taken, lanes = 0, slots > 0 and redis.call('LLEN', KEYS[12]) or 0
  for _ = 1, lanes do
    if taken >= slots then break end
    local pool = redis.call('LMOVE', KEYS[12], KEYS[12], 'LEFT', 'RIGHT')
    local k = math.min(poolFree(pool), slots - taken)
    if k > 0 then
      local lane = KEYS[12] .. ':' .. pool
      for _, id in ipairs(redis.call('LPOP', lane, k) or {}) do
        ids[#ids + 1] = id
        pools[id] = pool
        withSlot[id] = true
        taken = taken + 1
      end
      if redis.call('LLEN', lane) == 0 then redis.call('LREM', KEYS[12], 1, pool) end
    end
  end
  return taken
end

-- Prefetches up to k tasks from the capped pools' lanes, without slots: each starts here only on a
-- slot a run of its own pool frees on this worker (complete.lua), or one a later claim grants.
local function prefetchFromLanes(k, ids, pools)
  for _, pool in ipairs(k > 0 and redis.call('LRANGE', KEYS[12], 0, -1) or {}) do
    if k <= 0 then break end
    local lane = KEYS[12] .. ':' .. pool
    for _, id in ipairs(redis.call('LPOP', lane, k) or {}) do
      ids[#ids + 1] = id
      pools[id] = pool
      k = k - 1
    end
    if redis.call('LLEN', lane) == 0 then redis.call('LREM', KEYS[12], 1, pool) end
  end
end

local fence = redis.call('HGET', KEYS[9], ARGV[2])
if fence and fence > ARGV[7] then return { -1, 0 } end
if fence ~= ARGV[7] then redis.call('HSET', KEYS[9], ARGV[2], ARGV[7]) end
local givenBack = ARGV[9] == '1' and giveBackUnknown() or 0
local owedBefore = ARGV[9] == '1' and stillOwed() or {}
local out = {}
local free = (tonumber(ARGV[1]) > 0 or ARGV[11] ~= '0') and freeSlots() or 0
free = grant(free, out)
local starts = tonumber(ARGV[10])
local slots = math.max(0, math.min(starts, free))
-- Idle children left without a slot get no task: it would wait here while others could start it.
local n = tonumber(ARGV[1]) - (starts - slots)
local popped, pools, withSlot = {}, {}, {}
local laned = tonumber(ARGV[1]) > 0 and takeFromLanes(slots, popped, pools, withSlot) or 0
slots, n = slots - laned, n - laned
if n > 0 then
  local more = redis.call('LPOP', KEYS[1], n) or {}
  if laned == 0 then popped = more else for _, id in ipairs(more) do popped[#popped + 1] = id end end
  if #more < n then prefetchFromLanes(n - #more, popped, pools) end
end
-- Only a claim that moved tasks leaves a wake token: one that found the cap full must not, or idle
-- workers would wake each other in a loop while the cap stays full.
if #popped > 0 or givenBack > 0 then wakeIfReady(KEYS[1], KEYS[4], KEYS[12]) end
local fit, owed = screen(popped)
for _, v in ipairs(owed) do owedBefore[#owedBefore + 1] = v end
local reply = { givenBack, #owedBefore / 2 }
for _, v in ipairs(owedBefore) do reply[#reply + 1] = v end
for _, v in ipairs(out) do reply[#reply + 1] = v end
return lease(fit, pools, withSlot, slots, reply)
