/**
 * One Lua script for appending and trimming a channel's stream, so that dropping events and recording
 * the newest dropped id happen atomically (Redis runs a script as one unit; no instance sees a stream
 * trimmed without the record). Redis 7.0's XTRIM leaves XINFO's max-deleted-entry-id at 0-0 (only
 * XDEL moves it), so the relay keeps its own record in a string key next to the stream.
 *
 * KEYS[1] the stream, KEYS[2] its trimmed-through key.
 * ARGV[1] MINID (`0-0` for none), ARGV[2] MAXLEN (`0` for none), ARGV[3..] field/value pairs to XADD
 * first (none: trim only). Returns the new id, or for a trim only the number of events dropped.
 * An append never drops the event it adds, even when the relay's clock runs ahead of Redis's.
 *
 * Trimming is exact (no `~`): the newest dropped id must be known exactly, so that a subscriber whose
 * Last-Event-ID is that id is told of no gap. Appends drop at most a few entries at a time, and those
 * are cheap to find from the head of the stream.
 */
export const RETAIN_AND_RECORD_LUA = `
local stream, trimmedKey = KEYS[1], KEYS[2]
local minId, maxLen = ARGV[1], tonumber(ARGV[2])

local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function newer(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am > bm or (am == bm and as > bs)
end

local added = false
if #ARGV > 2 then
  added = redis.call('XADD', stream, '*', unpack(ARGV, 3))
  -- Redis's clock names the event, the relay's sets the cut-off: a relay clock ahead of Redis's must
  -- not drop the event it is storing.
  if minId ~= '0-0' and newer(minId, added) then minId = added end
end

local dropped = false
local count = 0
local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
-- Most appends drop nothing, and the head of the stream (one cheap read) says so. XREVRANGE from an id
-- older than every entry walks the whole stream in Redis 7.0, so it runs only when something is older.
if minId ~= '0-0' and first and newer(minId, first[1]) then
  local older = redis.call('XREVRANGE', stream, '(' .. minId, '-', 'COUNT', 1)
  if #older > 0 then
    dropped = older[1][1]
    count = count + redis.call('XTRIM', stream, 'MINID', minId)
  end
end
if maxLen > 0 then
  local excess = redis.call('XLEN', stream) - maxLen
  if excess > 0 then
    local from = '-'
    local left = excess
    while left > 0 do
      -- entries come with their bodies, so a few at a time (usually exactly one: one in, one out)
      local batch = redis.call('XRANGE', stream, from, '+', 'COUNT', math.min(left, 16))
      if #batch == 0 then break end
      dropped = batch[#batch][1]
      left = left - #batch
      from = '(' .. dropped
    end
    count = count + redis.call('XTRIM', stream, 'MAXLEN', maxLen)
  end
end
if dropped then
  local before = redis.call('GET', trimmedKey)
  if not before or newer(dropped, before) then redis.call('SET', trimmedKey, dropped) end
end
if added then return added end
return count
`;
