-- clientOf(id), doneBitOf(id): Forklift's task ids are "<client id>-<sequence in base 36>", so a
-- script finds a task's client and its place in that client's done bitmap without reading its message.
local function clientOf(id)
  return string.match(id, '^(.+)%-[^-]+$')
end

-- doneBitOf(id): its client and its bit in that client's done bitmap, as the decimal string a BITFIELD or
-- SETBIT takes, in one match; nil if the id is not of Forklift's form or its sequence is past a bitmap's
-- 2^32 bits (no client makes one; left unchecked, it would fail the whole script). string.format('%d')
-- because Lua's own number-to-string conversion (%.14g) costs 2.5 times as much, per task in claim and complete.
local function doneBitOf(id)
  local client, seq = string.match(id, '^(.+)%-([0-9a-z]+)$')
  local n = seq and tonumber(seq, 36)
  if not n or n > 4294967295 then return nil, nil end
  return client, string.format('%d', n)
end
