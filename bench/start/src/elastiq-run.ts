import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { FleetProducer, generationKeys, parseNodeResults, parseStoredDecision } from '@elastiq/queue';
import { RedisClusterRepository } from '@elastiq/store';
import type { Redis } from 'ioredis';
import { benchCluster } from './bench-cluster';
import { CloudSimProcess, type SimRuntime } from './cloud-sim-process';
import { bootFloor, callsBetween, launchPhases, megabytes, type StartRunResult, stopFloor } from './run-metrics';
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
  /** A scratch directory (the CLI's HOME). */
  scratchDir: string;
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
  /** cloud-sim's --rate-limit-scale (1: AWS-sized buckets). */
  rateLimitScale?: number;
  /** Run `elastiq list-nodes` (the real CLI) this often during the start and time it; 0: never. */
  cliSampleMs?: number;
  /** How long the start may take (the cluster's start_timeout), s. */
  startTimeoutS?: number;
}

let runCounter = 0;
/**
 * How often the bench reads the record while it waits. The ready instant comes from the record's
 * updatedAt, not from the poll; at 10,000 nodes (5 MB of record) a 50 ms poll would take a core.
 */
const pollMsFor = (nodes: number) => (nodes > 2000 ? 1000 : 50);
/** How long the bench waits for a stop: 90 s, more for clusters above 3,000 nodes (30 ms a node). */
const stopWaitMs = (nodes: number) => Math.max(90_000, nodes * 30);

export async function runElastiqStart(context: BenchContext, spec: ElastiqRunSpec): Promise<StartRunResult> {
  runCounter += 1;
  const prefix = `bench${process.pid}r${runCounter}`;
  const name = `bench-${spec.nodes}`;
  const scale = spec.rateLimitScale ?? 1;
  const sim = await CloudSimProcess.start({ bootDelay: context.bootDelay, seed: context.seed, runtime: spec.runtime, capacity: spec.capacity, rateLimitScale: scale });
  let workers: WorkerProcesses | undefined;
  const repository = new RedisClusterRepository(context.redis, { prefix: `${prefix}:` });
  const producer = new FleetProducer({ connection: context.redis, prefix, repository });
  try {
    workers = await WorkerProcesses.start({ count: spec.workers, redisUrl: context.redisUrl, prefix, env: { ...(scale !== 1 ? { ELASTIQ_EC2_RATE_LIMIT_SCALE: String(scale) } : {}), ...spec.workerEnv }, nodeArgs: spec.workerNodeArgs }, context.redis);
    const cluster = benchCluster({ name, nodeCount: spec.nodes, ...keyPaths(context), startTimeout: spec.startTimeoutS ?? 240 });
    for (const node of Object.values(cluster.nodes).flat()) node.extra = { ...node.extra, ...spec.nodeExtra };

    const startedAt = Date.now();
    const started = await producer.startCluster({ cluster, cloud: cloudOf(sim), runSetup: false });
    const sampler = spec.cliSampleMs ? sampleCliListNodes(context, prefix, name, spec.cliSampleMs) : null;
    const done = await producer
      .waitForCluster(name, (record) => record.status !== 'starting', { timeoutMs: ((spec.startTimeoutS ?? 240) + 60) * 1000, pollMs: pollMsFor(spec.nodes) })
      .finally(() => sampler?.stop());
    const cliListNodesMs = sampler ? await sampler.stop() : undefined;
    if (done === null) throw new Error(`cluster ${name} vanished during its start`);
    // updatedAt is stamped by the save that made the cluster ready: exact, unlike the poll.
    const readyAt = Date.parse(done.updatedAt);
    const keys = generationKeys(prefix, name, started.generation);
    const decision = parseStoredDecision(await context.redis.get(keys.decision));
    const nodeResults = Object.values(parseNodeResults(await context.redis.hgetall(keys.results)));
    const startStats = await sim.stats();
    const instances = (await sim.instances()).filter((instance) => instance.tags['elastiq:cluster'] === name);
    const floor = bootFloor(instances, scale);
    const redisUsedMemoryPeakMb = usedMemoryPeakMb(await context.redis.info('memory'));
    const peakRss = await workers.peakRssBytes();
    const notes: string[] = [];

    const stopRequestedAt = Date.now();
    const stopJob = await producer.stopCluster(name);
    // A stop that hangs is a finding, not a reason to lose the start's numbers.
    await producer.waitForCluster(name, () => false, { timeoutMs: stopWaitMs(spec.nodes), pollMs: Math.max(100, pollMsFor(spec.nodes)) }).catch((error: Error) => {
      notes.push(`stop did not finish: ${error.message}`);
    });
    const stopMs = Date.now() - stopRequestedAt;
    const stopStats = await sim.stats();
    const stopped = (await sim.instances()).filter((instance) => instance.tags['elastiq:cluster'] === name);
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
      stopFloor: stopFloor(stopped, stopRequestedAt, scale),
      stopLog,
      rateLimitScale: scale,
      launchBucketForcedMs: floor.launchBucketForcedMs,
      ...(cliListNodesMs ? { cliListNodesMs } : {}),
      redisUsedMemoryPeakMb,
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

/** Redis INFO memory's used_memory_peak, MB. */
function usedMemoryPeakMb(info: string): number {
  const match = /^used_memory_peak:(\d+)/m.exec(info);
  return match ? megabytes(Number(match[1])) : Number.NaN;
}

const CLI_MAIN = join(dirname(require.resolve('@elastiq/cli/package.json')), 'dist', 'main.js');

/**
 * `elastiq list-nodes <cluster>` run as a user would (a child process on the fleet's Redis) every
 * `everyMs` while the start runs: its wall times say whether the CLI stays usable at this size.
 */
function sampleCliListNodes(context: BenchContext, prefix: string, cluster: string, everyMs: number): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let stopped = false;
  const env = { PATH: process.env.PATH, HOME: context.scratchDir, ELASTIQ_REDIS_URL: context.redisUrl, ELASTIQ_QUEUE_PREFIX: prefix };
  const runOnce = () =>
    new Promise<void>((resolve) => {
      const begun = Date.now();
      execFile(process.execPath, [CLI_MAIN, '-c', join(context.scratchDir, 'no-config-needed'), 'list-nodes', cluster], { env, timeout: 120_000, maxBuffer: 64 * 2 ** 20 }, (error) => {
        if (error === null) times.push(Date.now() - begun);
        else context.log(`list-nodes during the start failed: ${error.message.split('\n')[0]}`);
        resolve();
      });
    });
  const loop = (async () => {
    while (!stopped) {
      const begun = Date.now();
      await runOnce();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (Date.now() - begun))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return times;
    },
  };
}

function keyPaths(context: BenchContext) {
  return { privateKeyPath: context.privateKeyPath, publicKeyPath: context.publicKeyPath };
}

function cloudOf(sim: CloudSimProcess) {
  return { provider: 'ec2' as const, ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env', vpc: null };
}
