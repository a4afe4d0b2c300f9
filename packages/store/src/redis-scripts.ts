// Lua scripts run atomically inside Redis: the revision check and the write cannot be separated
// by another client's write, which WATCH/MULTI would only give us with a retry loop per call.
//
// Keys: KEYS[1] the cluster's hash {revision, record}, KEYS[2] the set of cluster names,
// KEYS[3] a hash name → last revision ever issued. The last one survives deletes so that a
// re-created cluster never reuses a revision a stale writer may still hold (ABA).
//
// Replies are {won (1|0), revision}; revision -1 = no record.

/** ARGV: expected revision ('' = must not exist), record JSON, cluster name. */
export const SAVE_CLUSTER_SCRIPT = `
local actual = redis.call('HGET', KEYS[1], 'revision')
if ARGV[1] == '' then
  if actual then return {0, tonumber(actual)} end
elseif actual ~= ARGV[1] then
  return {0, actual and tonumber(actual) or -1}
end
local revision = math.max(redis.call('HINCRBY', KEYS[3], ARGV[3], 1), (tonumber(actual) or 0) + 1)
redis.call('HSET', KEYS[3], ARGV[3], revision)
redis.call('HSET', KEYS[1], 'revision', revision, 'record', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return {1, revision}
`;

/** ARGV: expected revision ('' = whatever it is), cluster name. */
export const DELETE_CLUSTER_SCRIPT = `
local actual = redis.call('HGET', KEYS[1], 'revision')
if not actual then return {0, -1} end
if ARGV[1] ~= '' and actual ~= ARGV[1] then return {0, tonumber(actual)} end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[2])
return {1, tonumber(actual)}
`;

export type ScriptReply = [won: number, revision: number];
