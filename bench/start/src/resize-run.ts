import { Cluster, planGrowth } from '@elastiq/core';
import { FleetProducer, generationKeys, parseStoredDecision } from '@elastiq/queue';
import { RedisClusterRepository } from '@elastiq/store';
import { benchCluster } from './bench-cluster';
import { CloudSimProcess, type SimRuntime } from './cloud-sim-process';
import type { BenchContext } from './elastiq-run';
import { bootFloor, callsBetween, type Ec2Calls } from './run-metrics';
import { WorkerProcesses } from './worker-processes';

// One measured growth (issue 10): a cluster of `base` nodes is started and ready, then
// `resize -a <added>:compute` is sent through the producer API the CLI uses. Measured from the
// resize request to the save that ends it, against the floor of the added nodes' own boots, and
// the EC2 calls the growth made (stop excluded), per added node.

export interface ResizeRunSpec {
  label: string;
  base: number;
  added: number;
  workers: number;
  runtime: SimRuntime;
}

export interface ResizeRunResult {
  label: string;
  baseNodes: number;
  addedNodes: number;
  workers: number;
  runtime: SimRuntime;
  outcome: string;
  addedUp: number;
  /** The nodes of the start still have the instances they had: the growth touched none of them. */
  existingUntouched: boolean;
  timeToReadyMs: number;
  /** The longest launch → SSH-ready of the *added* instances. */
  floorMs: number;
  ratio: number;
  decisionDelayMs: number;
  calls: Ec2Calls;
  callsPerAddedNode: number;
  notes: string[];
}

let runCounter = 0;

export async function runElastiqResize(context: BenchContext, spec: ResizeRunSpec): Promise<ResizeRunResult> {
  runCounter += 1;
  const prefix = `benchresize${process.pid}r${runCounter}`;
  const name = `grow-${spec.base}`;
  const sim = await CloudSimProcess.start({ bootDelay: context.bootDelay, seed: context.seed, runtime: spec.runtime });
  let workers: WorkerProcesses | undefined;
  const repository = new RedisClusterRepository(context.redis, { prefix: `${prefix}:` });
  const producer = new FleetProducer({ connection: context.redis, prefix, repository });
  try {
    workers = await WorkerProcesses.start({ count: spec.workers, redisUrl: context.redisUrl, prefix }, context.redis);
    const cluster = benchCluster({ name, nodeCount: spec.base, privateKeyPath: context.privateKeyPath, publicKeyPath: context.publicKeyPath, startTimeout: 240 });
    const cloud = { provider: 'ec2' as const, ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env', vpc: null };
    await producer.startCluster({ cluster, cloud, runSetup: false });
    const ready = await producer.waitForCluster(name, (record) => record.status !== 'starting', { timeoutMs: 300_000, pollMs: 100 });
    if (ready?.status !== 'ready') throw new Error(`the ${spec.base}-node cluster to grow ended ${ready?.status ?? 'deleted'}`);
    const before = await sim.stats();
    const existing = new Map(Object.values(ready.nodes).flat().map((node) => [node.name, node.instanceId]));

    const added = planGrowth(Cluster.fromDict(ready), [{ kind: 'compute', count: spec.added }], () => undefined);
    const requestedAt = Date.now();
    const resize = await producer.growCluster({ name, add: added.map((node) => node.toDict()), min: { compute: spec.added }, runSetup: false, summary: `+${spec.added} compute` });
    const done = await producer.waitForCluster(name, (record) => record.status !== 'resizing', { timeoutMs: 300_000, pollMs: 50 });
    if (done === null) throw new Error(`cluster ${name} vanished during its resize`);
    const endedAt = Date.parse(done.updatedAt);
    const after = await sim.stats();
    const decision = parseStoredDecision(await context.redis.get(generationKeys(prefix, name, resize.generation).decision));
    const ofResize = (await sim.instances()).filter((i) => i.tags['elastiq:cluster'] === name && i.tags['elastiq:generation'] === String(resize.generation));
    const floor = bootFloor(ofResize);
    const nodes = Object.values(done.nodes).flat();
    const calls = callsBetween(before, after);
    const timeToReadyMs = endedAt - requestedAt;
    return {
      label: spec.label,
      baseNodes: spec.base,
      addedNodes: spec.added,
      workers: spec.workers,
      runtime: spec.runtime,
      outcome: done.status,
      addedUp: nodes.filter((node) => node.generation === resize.generation && node.state === 'up').length,
      existingUntouched: [...existing].every(([node, instanceId]) => nodes.some((n) => n.name === node && n.instanceId === instanceId)),
      timeToReadyMs,
      floorMs: floor.floorMs,
      ratio: timeToReadyMs / floor.floorMs,
      decisionDelayMs: (decision?.decidedAt ?? endedAt) - floor.lastSshReadyAt,
      calls,
      callsPerAddedNode: calls.total / spec.added,
      notes: workers.output().map((text) => `worker output: ${text.trim().split('\n').slice(-3).join(' | ')}`),
    };
  } finally {
    await producer.stopCluster(name).catch(() => undefined);
    await producer.waitForCluster(name, () => false, { timeoutMs: 90_000, pollMs: 200 }).catch(() => undefined);
    await producer.close().catch(() => undefined);
    await workers?.stop();
    await sim.stop();
  }
}
