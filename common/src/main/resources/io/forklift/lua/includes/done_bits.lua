--@include task_id
-- Done bitmaps, forklift:{q}:done:<client>: bit n is set once the client's task <client>-<n in base 36>
-- ended, so a copy of its signed message pushed again is refused. Read and written with one BITFIELD
-- per client and batch, not one GETBIT or SETBIT per task.

-- ranAlready(prefix, ids): the ids (of 128 bytes at most) whose bit is set under prefix: id -> true.
local function ranAlready(prefix, ids)
  local ran, byClient = {}, {}
  for _, id in ipairs(ids) do
    local client, bit = doneBitOf(id)
    if #id <= 128 and client then
      local asked = byClient[client]
      if not asked then
        asked = { ids = {}, gets = {} }
        byClient[client] = asked
      end
      asked.ids[#asked.ids + 1] = id
      local gets = asked.gets
      gets[#gets + 1], gets[#gets + 2], gets[#gets + 3] = 'GET', 'u1', bit
    end
  end
  for client, asked in pairs(byClient) do
    local got = redis.call('BITFIELD_RO', prefix .. client, unpack(asked.gets))
    for i, id in ipairs(asked.ids) do
      if got[i] == 1 then ran[id] = true end
    end
  end
  return ran
end

-- markDone(bits, id, validUntil): notes in bits (a table, client -> its marks) that task id ended and
-- that its message is valid until validUntil (epoch ms).
local function markDone(bits, id, validUntil)
  local client, bit = doneBitOf(id)
  if not client then return end
  local mark = bits[client]
  if not mark then
    mark = { untilMs = 0, sets = {} }
    bits[client] = mark
  end
  mark.untilMs = math.max(mark.untilMs, tonumber(validUntil))
  local sets = mark.sets
  sets[#sets + 1], sets[#sets + 2], sets[#sets + 3], sets[#sets + 4] = 'SET', 'u1', bit, '1'
end

-- writeDone(prefix, bits): sets the noted bits; each client's bitmap lives until the newest message it
-- covers expires.
local function writeDone(prefix, bits)
  local step = 4000 -- unpack() is bounded by Lua's C stack: 1,000 SETs per call
  for client, mark in pairs(bits) do
    local bitmap = prefix .. client
    for i = 1, #mark.sets, step do
      redis.call('BITFIELD', bitmap, unpack(mark.sets, i, math.min(i + step - 1, #mark.sets)))
    end
    if redis.call('PEXPIRETIME', bitmap) < mark.untilMs then redis.call('PEXPIREAT', bitmap, mark.untilMs) end
  end
end
