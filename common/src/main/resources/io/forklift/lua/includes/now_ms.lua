-- nowMs(): Redis's own clock in milliseconds. Leases, deadlines and delays are measured with it,
-- never with a client's clock.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
