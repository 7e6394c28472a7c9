-- useObject(meta, kinds): the object whose meta hash is `meta` must exist and be of one of `kinds`
-- (a table of kind names). Errors NOOBJECT when it was deleted, WRONGKIND <kind it is> otherwise.
-- Returns the meta hash's value of field `field` when one is named (maxsize, duplex…), else nil.
local function useObject(meta, kinds, field)
  local got = redis.call('HMGET', meta, 'kind', field or 'kind')
  if not got[1] then return error({ err = 'NOOBJECT' }) end
  for _, k in ipairs(kinds) do
    if got[1] == k then return got[2] end
  end
  return error({ err = 'WRONGKIND ' .. got[1] })
end
