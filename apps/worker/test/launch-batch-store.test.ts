import type { CloudInstance } from '@elastiq/cloud';
import { type RunningRedis, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { GenerationState } from '../src/generation-state';
import { LaunchBatchStore, type StoredLaunchRequest } from '../src/launch-batch-store';

const request: StoredLaunchRequest = { clientToken: 'tok-1', imageId: 'ami-sim', flavor: 't3.micro', keyName: 'k', securityGroup: 'default', tags: {} };

function instance(launchIndex: number): CloudInstance {
  return { instanceId: `i-${launchIndex}`, state: 'pending', launchIndex, privateIp: null, publicIp: null, tags: {}, clientToken: 'tok-1', launchTime: null, market: 'on-demand', stateReason: null };
}

describe('LaunchBatchStore (the write-ahead record of a RunInstances call)', () => {
  let redis: RunningRedis;
  let client: Redis;
  let store: LaunchBatchStore;
  let state: GenerationState;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  beforeEach(() => {
    state = new GenerationState(client, `t${Math.random().toString(36).slice(2)}`, 'c', 1);
    store = new LaunchBatchStore(client, state);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('records the batch and its ordered members before the call, so a retry can re-issue it', async () => {
    expect(await store.claim('b1', request, ['n1', 'n2', 'n3'])).toEqual(['n1', 'n2', 'n3']);
    expect(await store.batchOf('n2')).toBe('b1');
    expect(await store.read('b1')).toEqual({ status: 'open', members: ['n1', 'n2', 'n3'], request });
  });

  it('never puts a node in two batches: a second claim skips members of an open batch', async () => {
    await store.claim('b1', request, ['n1', 'n2']);
    expect(await store.claim('b2', { ...request, clientToken: 'tok-2' }, ['n2', 'n3'])).toEqual(['n3']);
    expect((await store.read('b2'))?.members).toEqual(['n3']);
  });

  it('maps instances to members by launch index and frees the members a partial launch left out', async () => {
    await store.claim('b1', request, ['n1', 'n2', 'n3']);
    const launched = await store.resolve('b1', ['n1', 'n2', 'n3'], [instance(1), instance(0)], 'partial launch');
    expect([...launched]).toEqual([
      ['n1', 'i-0'],
      ['n2', 'i-1'],
    ]);
    expect(await state.instanceOf('n2')).toBe('i-1');
    expect(await store.batchOf('n3')).toBeNull();
    expect((await state.lastErrors()).n3).toBe('partial launch');
    expect((await store.read('b1'))?.status).toBe('resolved');
    // n3 may join a new batch (with a new token) now; n1 may not.
    expect(await store.claim('b2', { ...request, clientToken: 'tok-2' }, ['n1', 'n3'])).toEqual(['n3']);
  });
});
