// Lua scripts run atomically inside Redis: the revision check and the write cannot be separated
// by another client's write, which WATCH/MULTI would only give us with a retry loop per call.
//
// A cluster is stored in these keys (one hash slot when the prefix is a hash tag):
// KEYS[1] the cluster's hash {revision, stamp, header, kinds}: `header` is the record without its
//   nodes, `kinds` the node count of every kind in order, `stamp` a random token per save;
// KEYS[2] the set of cluster names;
// KEYS[3] a hash name → last revision ever issued. It survives deletes so that a re-created
//   cluster never reuses a revision a stale writer may still hold (ABA);
// KEYS[4] the nodes: field "<index>:<kind>" → node JSON;
// KEYS[5] the changes: sorted set of node fields, scored by the revision that last wrote them;
// KEYS[6] the history: sorted set of the last 256 saves' stamps, scored by their revision.
// A save rewrites only the nodes that changed; a reader holding the record at revision r reads
// only the nodes written after r, and only when r's stamp is still in the history (a Redis that
// lost writes in a crash may reissue r for other contents: then it reads everything).
// Records written before this layout are one JSON blob in KEYS[1]'s `record` field; reads accept
// them and the next save replaces them.
//
// Replies of save and delete are {won, revision}: won 1 = done, 0 = revision mismatch,
// 2 (save only) = the writer's view of revision r is not what is stored (stamp mismatch);
// revision -1 = no record.

/**
 * ARGV: expected revision ('' = must not exist), mode ('full' | 'delta'), the stamp the delta
 * was computed against, cluster name, new stamp, header JSON, kinds JSON, the number n of nodes
 * written, then n pairs field, node JSON, then the fields to delete.
 */
export const SAVE_CLUSTER_SCRIPT = `
local current = redis.call('HMGET', KEYS[1], 'revision', 'stamp')
local actual = current[1]
if ARGV[1] == '' then
  if actual then return {0, tonumber(actual)} end
elseif actual ~= ARGV[1] then
  return {0, actual and tonumber(actual) or -1}
end
if ARGV[2] == 'delta' and current[2] ~= ARGV[3] then return {2, tonumber(actual)} end
local revision = math.max(redis.call('HINCRBY', KEYS[3], ARGV[4], 1), (tonumber(actual) or 0) + 1)
redis.call('HSET', KEYS[3], ARGV[4], revision)
if ARGV[2] == 'full' then redis.call('DEL', KEYS[4], KEYS[5]) end
local written = tonumber(ARGV[8])
for i = 0, written - 1 do
  local field = ARGV[9 + 2 * i]
  redis.call('HSET', KEYS[4], field, ARGV[10 + 2 * i])
  redis.call('ZADD', KEYS[5], revision, field)
end
for i = 9 + 2 * written, #ARGV do
  redis.call('HDEL', KEYS[4], ARGV[i])
  redis.call('ZREM', KEYS[5], ARGV[i])
end
redis.call('HDEL', KEYS[1], 'record')
redis.call('HSET', KEYS[1], 'revision', revision, 'stamp', ARGV[5], 'header', ARGV[6], 'kinds', ARGV[7])
redis.call('ZADD', KEYS[6], revision, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', revision - 256)
redis.call('SADD', KEYS[2], ARGV[4])
return {1, revision}
`;

/**
 * KEYS: the cluster's hash, nodes, changes, history. ARGV: the revision and stamp the reader
 * holds ('' '' = none). Replies {} (no record), {'legacy', revision, record JSON},
 * {'same', revision, stamp}, or {'delta' | 'full', revision, stamp, header, kinds, field, node
 * JSON, ...}: 'delta' lists only the nodes written after the reader's revision.
 */
export const READ_CLUSTER_SCRIPT = `
local meta = redis.call('HMGET', KEYS[1], 'revision', 'stamp', 'header', 'kinds', 'record')
if not meta[1] and not meta[3] and not meta[5] then return {} end
if not meta[3] then return {'legacy', meta[1], meta[5]} end
if ARGV[1] ~= '' and meta[1] == ARGV[1] and meta[2] == ARGV[2] then return {'same', meta[1], meta[2]} end
local reply = {'full', meta[1], meta[2], meta[3], meta[4]}
local held = ARGV[1] ~= '' and redis.call('ZSCORE', KEYS[4], ARGV[2])
if held and tonumber(held) == tonumber(ARGV[1]) then
  reply[1] = 'delta'
  for _, field in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ARGV[1], '+inf')) do
    reply[#reply + 1] = field
    reply[#reply + 1] = redis.call('HGET', KEYS[2], field)
  end
  return reply
end
local nodes = redis.call('HGETALL', KEYS[2])
for i = 1, #nodes do reply[#reply + 1] = nodes[i] end
return reply
`;

/** KEYS: the cluster's hash, names, nodes, changes, history. ARGV: expected revision ('' = whatever it is), cluster name. */
export const DELETE_CLUSTER_SCRIPT = `
local actual = redis.call('HGET', KEYS[1], 'revision')
if not actual then return {0, -1} end
if ARGV[1] ~= '' and actual ~= ARGV[1] then return {0, tonumber(actual)} end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
redis.call('SREM', KEYS[2], ARGV[2])
return {1, tonumber(actual)}
`;

export type ScriptReply = [won: number, revision: number];
