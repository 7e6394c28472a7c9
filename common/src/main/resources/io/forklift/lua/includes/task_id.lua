-- clientOf(id), sequenceOf(id): Forklift's task ids are "<client id>-<sequence in base 36>", so a
-- script finds a task's client and its place in that client's done bitmap without reading its message.
local function clientOf(id)
  return string.match(id, '^(.+)%-[^-]+$')
end

local function sequenceOf(id)
  local seq = string.match(id, '%-([0-9a-z]+)$')
  return seq and tonumber(seq, 36)
end
