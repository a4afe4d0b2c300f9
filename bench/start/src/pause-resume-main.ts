#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ClusterDict } from '@elastiq/core';
import { FleetProducer } from '@elastiq/queue';
import { RedisClusterRepository } from '@elastiq/store';
import { generateSshKeyPair, makeTempDir, startRedis } from '@elastiq/testing';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { benchCluster } from './bench-cluster';
import { CloudSimProcess, type SimStats } from './cloud-sim-process';
import { WorkerProcesses } from './worker-processes';

// bench/start pause-resume: an N-node cluster (default 100) is started, paused and resumed on
// cloud-sim with AWS-sized rate limits and seeded 5–15 s boots, every address changing at the
// resume (newAddressOnStart). Measures the time to paused and to back, the floor of the resume
// (the last instance's SSH-ready after StartInstances), and the EC2 calls each phase made per
// node. Prints JSON and a Markdown table; writes both to bench/results/.
// Usage: node bench/start/dist/pause-resume-main.js [--nodes 100] [--workers 2] [--out DIR]

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const PREFIX = 'benchpause';
const NAME = 'bench-pause';

interface PhaseResult {
  phase: 'start' | 'pause' | 'resume';
  ms: number;
  /** For the resume: the last instance's SSH-ready after StartInstances was sent. */
  floorMs: number | null;
  status: string;
  calls: Record<string, number>;
  throttled: number;
}

async function main(): Promise<void> {
  const options = new Command('pause-resume')
    .option('--nodes <n>', 'nodes in the cluster', '100')
    .option('--workers <n>', 'elastiq-worker processes', '2')
    .option('--out <dir>', 'where to write pause-resume.json/.md', join(REPO_ROOT, 'bench', 'results'))
    .parse(process.argv)
    .opts<{ nodes: string; workers: string; out: string }>();
  const nodeCount = Number(options.nodes);
  const tempDir = await makeTempDir('bench-pause');
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const sim = await CloudSimProcess.start({ bootDelay: 'uniform:5s..15s', seed: 1, runtime: 'light' });
  let workers: WorkerProcesses | undefined;
  const producer = new FleetProducer({ connection: redis, prefix: PREFIX, repository: new RedisClusterRepository(redis, { prefix: `${PREFIX}:` }) });
  try {
    workers = await WorkerProcesses.start({ count: Number(options.workers), redisUrl: redisServer.url, prefix: PREFIX }, redis);
    const keys = await generateSshKeyPair(tempDir.path);
    const cloud = { provider: 'ec2' as const, ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env', vpc: null };
    const cluster = benchCluster({ name: NAME, nodeCount, privateKeyPath: keys.privateKeyPath, publicKeyPath: keys.publicKeyPath, startTimeout: 300 });
    const phases: PhaseResult[] = [];
    const measure = async (phase: PhaseResult['phase'], begin: () => Promise<unknown>): Promise<ClusterDict> => {
      const before = await sim.stats();
      const startedAt = Date.now();
      await begin();
      const settled = await producer.waitForCluster(NAME, (c) => !['starting', 'setting-up', 'pausing', 'resuming'].includes(c.status), { timeoutMs: 600_000, pollMs: 50 });
      const ms = Date.now() - startedAt;
      const floorMs = phase === 'resume' ? lastSshReadyAfter(await sim.instances(), startedAt) : null;
      phases.push({ phase, ms, floorMs, status: settled?.status ?? 'gone', ...callsBetween(before, await sim.stats()) });
      process.stderr.write(`bench:pause-resume: ${phase}: ${settled?.status} in ${(ms / 1000).toFixed(1)} s\n`);
      return settled as ClusterDict;
    };
    const ready = await measure('start', () => producer.startCluster({ cluster, cloud, runSetup: false }));
    await measure('pause', () => producer.pauseCluster(NAME));
    await setFaults(sim.endpoint, { newAddressOnStart: true });
    const back = await measure('resume', () => producer.resumeCluster(NAME));
    const moved = allNodes(back).filter((node, index) => node.preferredIp !== allNodes(ready)[index].preferredIp).length;
    const result = { nodes: nodeCount, workers: Number(options.workers), readdressed: moved, back: allNodes(back).filter((node) => node.state === 'up').length, phases };
    await report(result, options.out);
  } finally {
    await producer.close();
    await workers?.stop();
    await sim.stop();
    redis.disconnect();
    await redisServer.stop();
    await tempDir.cleanup();
  }
}

function allNodes(cluster: ClusterDict) {
  return Object.values(cluster.nodes).flat();
}

function lastSshReadyAfter(instances: Awaited<ReturnType<CloudSimProcess['instances']>>, since: number): number | null {
  const ready = instances.map((instance) => (instance.sshReadyAt ? Date.parse(instance.sshReadyAt) : 0)).filter((at) => at >= since);
  return ready.length === 0 ? null : Math.max(...ready) - since;
}

function callsBetween(before: SimStats, after: SimStats): Pick<PhaseResult, 'calls' | 'throttled'> {
  const calls: Record<string, number> = {};
  for (const [action, stats] of Object.entries(after.byAction)) {
    const count = stats.calls - (before.byAction[action]?.calls ?? 0);
    if (count > 0) calls[action] = count;
  }
  return { calls, throttled: after.throttled - before.throttled };
}

async function setFaults(endpoint: string, faults: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${endpoint}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (!response.ok) throw new Error(`cloud-sim refused the faults: ${await response.text()}`);
}

async function report(result: { nodes: number; workers: number; readdressed: number; back: number; phases: PhaseResult[] }, out: string): Promise<void> {
  const rows = result.phases.map((phase) => {
    const calls = Object.entries(phase.calls)
      .map(([action, count]) => `${action} ${count}`)
      .join(', ');
    const floor = phase.floorMs === null ? '–' : `${(phase.floorMs / 1000).toFixed(1)} s`;
    return `| ${phase.phase} | ${phase.status} | ${(phase.ms / 1000).toFixed(1)} s | ${floor} | ${calls} | ${phase.throttled} |`;
  });
  const markdown = [
    `N=${result.nodes} nodes on ${result.workers} workers, cloud-sim (light runtime, AWS rate limits, boots uniform 5–15 s); every address changes at the resume: ${result.readdressed} readdressed, ${result.back} back.`,
    '',
    '| phase | status | time | floor | EC2 calls | throttled |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  const json = JSON.stringify(result, null, 2);
  process.stdout.write(`${json}\n\n${markdown}`);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'pause-resume.json'), `${json}\n`);
  await writeFile(join(out, 'pause-resume.md'), markdown);
  process.stderr.write(`bench:pause-resume: wrote ${relative(REPO_ROOT, join(out, 'pause-resume.md'))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pause-resume: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
