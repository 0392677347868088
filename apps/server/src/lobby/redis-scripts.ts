/**
 * Lua run by Redis as one atomic step. Rooms use a compare-and-set: the store reads the keys,
 * applies the same rules as the memory store in TypeScript, then commits only if none of the keys
 * changed meanwhile (else it reads again). Channels and rate limits are small enough to do in Lua.
 */

/** KEYS: the keys read, then any others written. ARGV: n, n expected values, then op/key/value triples. */
export const COMPARE_AND_SET = `
local n = tonumber(ARGV[1])
for i = 1, n do
  local current = redis.call('GET', KEYS[i])
  local expected = ARGV[1 + i]
  if expected == '' then
    if current then return 0 end
  elseif current ~= expected then
    return 0
  end
end
local i = n + 2
while i <= #ARGV do
  local op, key, value = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2]
  if op == 'set' then redis.call('SET', key, value)
  elseif op == 'del' then redis.call('DEL', key)
  elseif op == 'sadd' then redis.call('SADD', key, value)
  elseif op == 'srem' then redis.call('SREM', key, value) end
  i = i + 3
end
return 1
`;

/** KEYS: seats (userId -> channel), names (userId -> name). ARGV: userId, channel, capacity, name. */
export const JOIN_CHANNEL = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous == ARGV[2] then return previous end
local population = 0
for _, channel in ipairs(redis.call('HVALS', KEYS[1])) do
  if channel == ARGV[2] then population = population + 1 end
end
if population >= tonumber(ARGV[3]) then return redis.error_reply('channel_full') end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
return previous or ''
`;

/** KEYS: seats, names. ARGV: userId. Returns the channel left, or ''. */
export const LEAVE_CHANNEL = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return previous or ''
`;

/** KEYS: seats, names, the server's room set. ARGV: prefix of room keys, prefix of user->room keys. */
export const CLEAR_SERVER = `
local ids = redis.call('SMEMBERS', KEYS[3])
for _, id in ipairs(ids) do
  local raw = redis.call('GET', ARGV[1] .. id)
  if raw then
    for _, member in ipairs(cjson.decode(raw).members) do
      local key = ARGV[2] .. member.id
      if redis.call('GET', key) == id then redis.call('DEL', key) end
    end
    redis.call('DEL', ARGV[1] .. id)
  end
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return ids
`;

/**
 * KEYS: the bucket (hash of tokens and time). ARGV: now, window ms, limit. A token bucket: `limit`
 * in a burst, refilled at `limit` per window. A bucket untouched for a window is full again, so it
 * expires then.
 */
export const HIT_RATE = `
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1]) or limit
local at = tonumber(saved[2]) or now
tokens = math.min(limit, tokens + math.max(0, now - at) * limit / window)
at = math.max(at, now)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], window)
return allowed
`;
