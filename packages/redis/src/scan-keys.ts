import { dataNodes, type RedisConnection } from './redis-connection';

/**
 * Every key matching the pattern, in batches. On a Cluster a SCAN reaches one node only, so each
 * master is scanned; replicas hold copies and are skipped.
 */
export async function* scanKeys(connection: RedisConnection, pattern: string, count = 500): AsyncGenerator<string[]> {
  for (const node of await dataNodes(connection)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (found.length > 0) yield found;
    } while (cursor !== '0');
  }
}
