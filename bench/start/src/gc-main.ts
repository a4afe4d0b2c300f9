#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { type FleetGcResult, FleetGcResultSchema, installationIdKey, launchedCloudMember, launchedCloudsKey, openFleetQueues, requestFleetGc } from '@elastiq/queue';
import { startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { CloudSimProcess, type SimStats } from './cloud-sim-process';
import { WorkerProcesses } from './worker-processes';

// bench/gc: what one gc costs on a cloud with AWS-sized rate limits: N orphans of this
// installation (a cluster whose record is gone) next to N/10 instances of another installation,
// a dry run, then a real one. Wall time of each gc job and the EC2 calls it made, as JSON and a
// table in bench/results/gc/. `node bench/start/dist/gc-main.js [ORPHANS]` (default 1000); it
// shares cloud-sim and worker process handling with the start bench, hence its place here.

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const INSTALLATION = 'bench-installation';
const PREFIX = 'benchgc';

interface GcRun {
  dryRun: boolean;
  seconds: number;
  orphans: number;
  terminated: number;
  calls: Record<string, number>;
}

async function main(): Promise<void> {
  const orphanCount = Number(process.argv[2] ?? 1000);
  if (!Number.isInteger(orphanCount) || orphanCount < 1) throw new Error(`ORPHANS must be a positive whole number, got '${process.argv[2]}'`);
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  const sim = await CloudSimProcess.start({ bootDelay: 'fixed:100ms', seed: 1, runtime: 'light' });
  let workers: WorkerProcesses | undefined;
  const queues = openFleetQueues(redis, PREFIX);
  try {
    await redis.set(installationIdKey(PREFIX), INSTALLATION);
    await redis.sadd(launchedCloudsKey(PREFIX), launchedCloudMember({ ec2Url: sim.endpoint, ec2Region: sim.region, credentialSource: 'env' }));
    await launch(sim, orphanCount, INSTALLATION);
    await launch(sim, Math.max(1, Math.round(orphanCount / 10)), 'another-installation');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    workers = await WorkerProcesses.start({ count: 1, redisUrl: redisServer.url, prefix: PREFIX, env: { ELASTIQ_GC_INTERVAL_MS: '0' } }, redis);
    const runs: GcRun[] = [];
    for (const dryRun of [true, false]) {
      const before = await sim.stats();
      const started = Date.now();
      const job = await requestFleetGc(queues.fleetGc, { dryRun, olderThanMs: 1000 });
      const result = await waitForResult(queues.fleetGc, job.id as string);
      runs.push({ dryRun, seconds: (Date.now() - started) / 1000, orphans: result.orphans.length, terminated: result.terminated.length, calls: callsSince(before, await sim.stats()) });
    }
    const left = (await sim.instances()).filter((instance) => instance.tags['elastiq:installation'] === 'another-installation' && instance.state !== 'terminated');
    const report = { orphanCount, otherInstallation: left.length, runs };
    const table = [
      '| gc | orphans | terminated | seconds | EC2 calls |',
      '|---|---|---|---|---|',
      ...runs.map((run) => `| ${run.dryRun ? 'dry run' : '--yes'} | ${run.orphans} | ${run.terminated} | ${run.seconds.toFixed(1)} | ${Object.entries(run.calls).map(([action, count]) => `${action} ${count}`).join(', ')} |`),
      '',
      `Instances of another installation still running afterwards: ${left.length}.`,
    ].join('\n');
    const out = join(REPO_ROOT, 'bench', 'results', 'gc');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'gc.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(out, 'gc.md'), `${table}\n`);
    process.stdout.write(`${JSON.stringify(report)}\n\n${table}\n(written to bench/results/gc/)\n`);
  } finally {
    await workers?.stop();
    await queues.close();
    redis.disconnect();
    await sim.stop();
    await redisServer.stop();
  }
}

/** Instances of a cluster without a record (orphans when `installation` is ours), in calls of up to 1000. */
async function launch(sim: CloudSimProcess, count: number, installation: string): Promise<void> {
  const client = new EC2Client({ endpoint: sim.endpoint, region: sim.region, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-not-a-secret' }, maxAttempts: 10 });
  try {
    const tags = { 'elastiq:installation': installation, 'elastiq:cluster': `lost-${installation}`, 'elastiq:generation': '1' };
    for (let launched = 0; launched < count; launched += 1000) {
      const batch = Math.min(1000, count - launched);
      await client.send(
        new RunInstancesCommand({
          ImageId: 'ami-sim',
          InstanceType: 't3.micro',
          MinCount: batch,
          MaxCount: batch,
          TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
        }),
      );
    }
  } finally {
    client.destroy();
  }
}

async function waitForResult(queue: ReturnType<typeof openFleetQueues>['fleetGc'], jobId: string): Promise<FleetGcResult> {
  for (;;) {
    const job = await queue.getJob(jobId);
    const state = await job?.getState();
    if (job !== undefined && state === 'completed') return FleetGcResultSchema.parse(job.returnvalue);
    if (job !== undefined && state === 'failed') throw new Error(`gc job failed: ${job.failedReason}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function callsSince(before: SimStats, after: SimStats): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const [action, stats] of Object.entries(after.byAction)) {
    const made = stats.calls - (before.byAction[action]?.calls ?? 0);
    if (made > 0) calls[action] = made;
  }
  return calls;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:gc: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
