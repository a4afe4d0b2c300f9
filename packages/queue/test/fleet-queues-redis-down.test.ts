import { startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { openFleetQueues } from '../src';

// BullMQ console.errors every connection error a Queue re-emits when nothing listens: with Redis
// down that is a stack trace per reconnect attempt in the user's terminal. The real server is
// killed under open queues; the failure must reach the caller's command, and nothing the console.
jest.setTimeout(30_000);

it('queues whose Redis goes away print nothing; the command in flight is what fails', async () => {
  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: (times) => (times > 5 ? null : 100) });
  const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const queues = openFleetQueues(client, 'down');
  try {
    expect(await queues.nodeStart.count()).toBe(0);
    await redis.stop('SIGKILL');
    await expect(queues.nodeStart.count()).rejects.toThrow();
    // Let the reconnect attempts (and their error events) happen.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(printed).not.toHaveBeenCalled();
  } finally {
    printed.mockRestore();
    await queues.close().catch(() => undefined);
    if (client.status !== 'end') client.disconnect();
  }
});
