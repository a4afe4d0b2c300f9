import { FleetProducer, generationKeys, parseNodeResults, parseStoredDecision } from '@elastiq/queue';
import { RedisClusterRepository } from '@elastiq/store';
import type { Redis } from 'ioredis';
import { benchCluster } from './bench-cluster';
import { CloudSimProcess, type SimRuntime } from './cloud-sim-process';
import { bootFloor, callsBetween, launchPhases, megabytes, type StartRunResult } from './run-metrics';
import { WorkerProcesses } from './worker-processes';

// One measured elastiq start + stop: a fresh cloud-sim, W fresh elastiq-worker processes, the
// producer API the CLI uses, and the cluster record and coordination state the fleet writes.

export interface BenchContext {
  redis: Redis;
  redisUrl: string;
  privateKeyPath: string;
  publicKeyPath: string;
  bootDelay: string;
  seed: number;
  log(line: string): void;
}

export interface ElastiqRunSpec {
  label: string;
  nodes: number;
  workers: number;
  runtime: SimRuntime;
  /** ELASTIQ_* overrides for a what-if run; empty for the fleet's defaults. */
  workerEnv?: Record<string, string>;
  /** node flags of the workers (profilers). */
  workerNodeArgs?: string[];
  /** cloud-sim capacity rules (`t3.micro@us-east-1a=30`). */
  capacity?: string[];
  /** Per-node extension keys, as a kind with flavor_alternatives/availability_zones would get them. */
  nodeExtra?: Record<string, unknown>;
}

let runCounter = 0;
const STOP_WAIT_MS = 90_000;

export async function runElastiqStart(context: BenchContext, spec: ElastiqRunSpec): Promise<StartRunResult> {
  runCounter += 1;
  const prefix = `bench${process.pid}r${runCounter}`;
  const name = `bench-${spec.nodes}`;
  const sim = await CloudSimProcess.start({ bootDelay: context.bootDelay, seed: context.seed, runtime: spec.runtime, capacity: spec.capacity });
  let workers: WorkerProcesses | undefined;
  const repository = new RedisClusterRepository(context.redis, { prefix: `${prefix}:` });
  const producer = new FleetProducer({ connection: context.redis, prefix, repository });
  try {
    workers = await WorkerProcesses.start({ count: spec.workers, redisUrl: context.redisUrl, prefix, env: spec.workerEnv, nodeArgs: spec.workerNodeArgs }, context.redis);
    const cluster = benchCluster({ name, nodeCount: spec.nodes, ...keyPaths(context), startTimeout: 240 });
    for (const node of Object.values(cluster.nodes).flat()) node.extra = { ...node.extra, ...spec.nodeExtra };

    const startedAt = Date.now();
    const started = await producer.startCluster({ cluster, cloud: cloudOf(sim), runSetup: false });
    const done = await producer.waitForCluster(name, (record) => record.status !== 'starting', { timeoutMs: 300_000, pollMs: 50 });
    if (done === null) throw new Error(`cluster ${name} vanished during its start`);
    // updatedAt is stamped by the save that made the cluster ready: exact, unlike the poll.
    const readyAt = Date.parse(done.updatedAt);
    const keys = generationKeys(prefix, name, started.generation);
    const decision = parseStoredDecision(await context.redis.get(keys.decision));
    const nodeResults = Object.values(parseNodeResults(await context.redis.hgetall(keys.results)));
    const startStats = await sim.stats();
    const instances = (await sim.instances()).filter((instance) => instance.tags['elastiq:cluster'] === name);
    const floor = bootFloor(instances);
    const peakRss = await workers.peakRssBytes();
    const notes: string[] = [];

    const stopRequestedAt = Date.now();
    const stopJob = await producer.stopCluster(name);
    // A stop that hangs is a finding, not a reason to lose the start's numbers.
    await producer.waitForCluster(name, () => false, { timeoutMs: STOP_WAIT_MS, pollMs: 100 }).catch((error: Error) => {
      notes.push(`stop did not finish: ${error.message}`);
    });
    const stopMs = Date.now() - stopRequestedAt;
    const stopStats = await sim.stats();
    const stopLog = (await producer.queues.clusterStop.getJobLogs(stopJob.jobId)).logs;

    const startCalls = callsBetween(null, startStats);
    const stopCalls = callsBetween(startStats, stopStats);
    const nodesUp = Object.values(done.nodes).flat().filter((node) => node.state === 'up').length;
    const timeToReadyMs = readyAt - startedAt;
    notes.push(...workers.output().map((text) => `worker output: ${text.trim().split('\n').slice(-3).join(' | ')}`));
    if (decision === null) notes.push('no stored decision found: decision delay uses the ready save');
    else if (decision.decision !== 'ready') {
      const reasons = Object.entries(decision.reasons);
      notes.push(`decision ${decision.decision}: ${decision.summary}; ${reasons.length} node reasons, e.g. ${reasons.slice(0, 3).map(([node, why]) => `${node}: ${why}`).join(' | ')}`);
    }
    return {
      label: spec.label,
      tool: 'elastiq',
      nodes: spec.nodes,
      workers: spec.workers,
      runtime: spec.runtime,
      nodesUp,
      outcome: done.status,
      timeToReadyMs,
      floorMs: floor.floorMs,
      ratio: timeToReadyMs / floor.floorMs,
      decisionDelayMs: (decision?.decidedAt ?? readyAt) - floor.lastSshReadyAt,
      stopMs,
      stopLog,
      startCalls,
      stopCalls,
      callsPerNode: (startCalls.total + stopCalls.total) / spec.nodes,
      peakWorkerRssMb: peakRss.map(megabytes),
      cloudSimPeakRssMb: megabytes(await sim.peakRssBytes()),
      throughputNodesPerSecond: spec.nodes / (timeToReadyMs / 1000),
      phases: {
        ...launchPhases(instances, startedAt),
        lastSshReady: floor.lastSshReadyAt - startedAt,
        lastNodeReported: nodeResults.length > 0 ? Math.max(...nodeResults.map((result) => result.at)) - startedAt : null,
        decided: (decision?.decidedAt ?? readyAt) - startedAt,
        ready: timeToReadyMs,
      },
      notes,
    };
  } finally {
    await producer.close().catch(() => undefined);
    await workers?.stop();
    await sim.stop();
  }
}

function keyPaths(context: BenchContext) {
  return { privateKeyPath: context.privateKeyPath, publicKeyPath: context.publicKeyPath };
}

function cloudOf(sim: CloudSimProcess) {
  return { provider: 'ec2' as const, ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env', vpc: null };
}
