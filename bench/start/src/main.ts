#!/usr/bin/env node
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSshKeyPair, makeTempDir, startRedis } from '@elastiq/testing';
import { Redis } from 'ioredis';
import { runBaselineStart } from './baseline';
import { BenchUsageError, type BenchOptions, parseBenchOptions } from './bench-options';
import { type BenchContext, runElastiqStart } from './elastiq-run';
import { callsByActionTable, phasesTable, resizeTable, stopAndScaleTable, summaryTable, workerScalingTable } from './results-table';
import { type ResizeRunResult, runElastiqResize } from './resize-run';
import type { StartRunResult } from './run-metrics';
import { writePlot } from './time-to-ready-plot';
import { WHAT_IF_RUNS } from './what-if-runs';

// bench/start: elastiq's cluster start at N = 10, 100, 1000 on cloud-sim with AWS-sized rate
// limits and seeded 5–15 s boots, the N=100 start on 1, 2 and 4 workers, and ElastiCluster's
// start loop (baseline.ts) on the same cloud. Prints JSON, then Markdown tables; writes both to
// bench/results/ and the time-to-ready plot next to docs/performance.md.

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv, REPO_ROOT);
  const abort = setTimeout(() => {
    process.stderr.write(`bench:start: still running after ${options.maxMinutes} min: aborting (every process it started is killed)\n`);
    process.exit(3);
  }, options.maxMinutes * 60_000);
  abort.unref();
  if (options.reportOnly) {
    await report(JSON.parse(await readFile(join(options.out, 'start.json'), 'utf8')) as BenchResults, options);
    return;
  }

  const tempDir = await makeTempDir('bench-start');
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  try {
    const keys = await generateSshKeyPair(tempDir.path);
    const context: BenchContext = {
      redis,
      redisUrl: redisServer.url,
      privateKeyPath: keys.privateKeyPath,
      publicKeyPath: keys.publicKeyPath,
      bootDelay: options.bootDelay,
      seed: options.seed,
      scratchDir: tempDir.path,
      log: (line) => process.stderr.write(`${line}\n`),
    };
    const results = await runAll(context, options);
    await report(results, options);
  } finally {
    redis.disconnect();
    await redisServer.stop();
    await tempDir.cleanup();
  }
}

interface BenchResults {
  sizes: StartRunResult[];
  series: StartRunResult[];
  baseline: StartRunResult[];
  whatIf: StartRunResult[];
  /** `--only resize`: a growth of a running cluster and a fresh start of as many nodes, same run. */
  resize?: { grown: ResizeRunResult[]; fresh: StartRunResult[] };
  /** `--only capacity`: the same kind with alternatives, unconstrained and with its preferred offering capped. */
  capacity?: StartRunResult[];
  errors: { label: string; error: string }[];
}

async function runAll(context: BenchContext, options: BenchOptions): Promise<BenchResults> {
  const wanted = (part: 'sizes' | 'series' | 'baseline' | 'what-if') => options.only === undefined || options.only.includes(part);
  const runtimeFor = (nodes: number) => (nodes >= options.largeFrom ? options.largeRuntime : options.runtime);
  const results: BenchResults = { sizes: [], series: [], baseline: [], whatIf: [], errors: [] };
  // One broken run is a result too: it is recorded and the bench goes on with the next one.
  const timed = async <R extends { outcome: string; timeToReadyMs: number; floorMs: number }>(label: string, run: () => Promise<R>): Promise<R[]> => {
    context.log(`bench:start: ${label} ...`);
    try {
      const result = await run();
      context.log(`bench:start: ${label}: ${result.outcome}, ${(result.timeToReadyMs / 1000).toFixed(1)} s (floor ${(result.floorMs / 1000).toFixed(1)} s)`);
      return [result];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`bench:start: ${label}: ERROR ${message}`);
      results.errors.push({ label, error: message });
      return [];
    }
  };

  if (wanted('sizes')) {
    for (const nodes of options.sizes) {
      const label = `elastiq N=${nodes}`;
      results.sizes.push(...(await timed(label, () => runElastiqStart(context, { label, nodes, workers: options.workers, runtime: runtimeFor(nodes), workerNodeArgs: options.workerNodeArgs }))));
    }
  }
  if (wanted('series')) {
    for (const workers of options.series) {
      const label = `elastiq N=${options.seriesSize}, ${workers} worker${workers === 1 ? '' : 's'}`;
      const nodes = options.seriesSize;
      results.series.push(...(await timed(label, () => runElastiqStart(context, { label, nodes, workers, runtime: runtimeFor(nodes) }))));
    }
  }
  if (wanted('baseline')) {
    for (const nodes of options.baselineSizes) {
      const label = `baseline (ElastiCluster) N=${nodes}`;
      results.baseline.push(...(await timed(label, () => runBaselineStart(context, { label, nodes, runtime: runtimeFor(nodes), startTimeoutMs: 300_000 }))));
    }
  }
  if (options.only?.includes('what-if')) {
    for (const { profile, runtime, ...whatIf } of WHAT_IF_RUNS) {
      const profileDir = join(options.out, 'profiles', whatIf.label.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, ''));
      if (profile) await mkdir(profileDir, { recursive: true });
      const workerNodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--heap-prof', `--heap-prof-dir=${profileDir}`] : [];
      results.whatIf.push(
        ...await timed(whatIf.label, () => runElastiqStart(context, { ...whatIf, workerNodeArgs, workers: options.workers, runtime: runtime ?? runtimeFor(whatIf.nodes) })),
      );
    }
  }
  if (options.only?.includes('resize')) {
    const { resizeBase: base, resizeAdd: added, workers } = options;
    const fresh = await timed(`elastiq N=${added} (fresh start)`, () => runElastiqStart(context, { label: `fresh start N=${added}`, nodes: added, workers, runtime: runtimeFor(added) }));
    const grown = await timed(`elastiq resize +${added} on ${base}`, () => runElastiqResize(context, { label: `resize +${added} on ${base}`, base, added, workers, runtime: runtimeFor(base + added) }));
    results.resize = { grown, fresh };
  }
  if (options.only?.includes('scale')) {
    // Issue 13: 10,000 nodes on the light runtime with every bucket ×10, `list-nodes` timed every 10 s.
    const nodes = options.scaleNodes;
    const label = `elastiq N=${nodes} (light, buckets ×${options.scaleRateLimit})`;
    const spec = { label, nodes, workers: options.workers, runtime: 'light' as const, rateLimitScale: options.scaleRateLimit, cliSampleMs: 10_000, startTimeoutS: 900 };
    results.sizes.push(...(await timed(label, () => runElastiqStart(context, { ...spec, workerNodeArgs: options.workerNodeArgs }))));
  }
  if (options.only?.includes('capacity')) {
    // Issue 11: t3.micro in zone a first, then zone b, then t3.small; only the cap differs between the runs.
    const nodeExtra = { flavor_alternatives: ['t3.small'], availability_zones: ['us-east-1a', 'us-east-1b'] };
    const { capacityNodes: nodes, capacityCap: cap, workers } = options;
    results.capacity = [];
    for (const capacity of [[], [`t3.micro@us-east-1a=${cap}`]]) {
      const label = capacity.length === 0 ? `capacity N=${nodes}, unconstrained` : `capacity N=${nodes}, t3.micro@us-east-1a capped at ${cap}`;
      results.capacity.push(...(await timed(label, () => runElastiqStart(context, { label, nodes, workers, runtime: runtimeFor(nodes), capacity, nodeExtra }))));
    }
  }
  return results;
}

async function report(results: BenchResults, options: BenchOptions): Promise<void> {
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  const settings = { bootDelay: options.bootDelay, seed: options.seed, rateLimits: 'AWS-sized (scale 1)', runtime: options.runtime, largeRuntime: options.largeRuntime, largeFrom: options.largeFrom };
  const json = { measuredAt: new Date().toISOString(), machine, settings, code: codeProvenance(), ...results };
  await mkdir(options.out, { recursive: true });
  if (!options.reportOnly) {
    await writeFile(join(options.out, 'start.json'), `${JSON.stringify(json, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n\n`);
  }

  const all = [...results.sizes, ...results.baseline, ...results.series, ...results.whatIf, ...(results.capacity ?? [])];
  if (results.capacity !== undefined) {
    const table = `## Capacity: a kind with alternatives, unconstrained and with its preferred offering capped\n\n${summaryTable(results.capacity)}\n\n${callsByActionTable(results.capacity)}`;
    await writeFile(join(options.out, 'capacity.md'), `${table}\n`);
    process.stdout.write(`${table}\n`);
  }
  if (results.resize !== undefined) {
    const table = `## Resize: a growth of a running cluster next to a fresh start of as many nodes\n\n${resizeTable(results.resize.grown, results.resize.fresh)}`;
    await writeFile(join(options.out, 'resize.md'), `${table}\n`);
    process.stdout.write(`${table}\n`);
    if (all.length === 0) return;
  }
  const tables = [
    '## Start: time to ready, decision delay, API calls, memory',
    summaryTable([...results.sizes, ...results.baseline, ...results.whatIf]),
    '## Stop, buckets, CLI and Redis',
    stopAndScaleTable(results.sizes),
    '## Where the time went (s after the start request)',
    phasesTable(all),
    '¹ baseline: the end of its wait-until-running phase.',
    '## EC2 calls per node by action (start / stop)',
    callsByActionTable(all),
    `## N=${options.seriesSize} on 1, 2, 4 worker processes`,
    results.series.length > 0 ? workerScalingTable(results.series) : '(not run)',
  ].join('\n\n');
  await writeFile(join(options.out, 'start.md'), `${tables}\n`);
  process.stdout.write(`${tables}\n`);
  for (const run of all) for (const note of run.notes) process.stdout.write(`note (${run.label}): ${note}\n`);
  for (const failure of results.errors ?? []) process.stdout.write(`ERROR (${failure.label}): ${failure.error}\n`);

  if (results.sizes.length > 0) {
    const floorBySize = new Map(results.sizes.map((run) => [run.nodes, run.floorMs]));
    for (const run of results.baseline) floorBySize.set(run.nodes, run.floorMs);
    const plot = await writePlot(
      [
        { name: 'elastiq', color: '#1f77b4', points: results.sizes.map((run) => ({ n: run.nodes, seconds: run.timeToReadyMs / 1000 })) },
        { name: 'ElastiCluster way', color: '#d62728', points: results.baseline.map((run) => ({ n: run.nodes, seconds: run.timeToReadyMs / 1000 })) },
        { name: 'floor (last boot)', color: '#555', dashed: true, points: [...floorBySize].map(([n, ms]) => ({ n, seconds: ms / 1000 })) },
      ].filter((series) => series.points.length > 0),
      `Time to ready on cloud-sim (${options.bootDelay}, AWS rate limits)`,
      options.plot,
    );
    process.stderr.write(`bench:start: plot written to ${plot.png}\n`);
  }
}

/** Which fleet code was measured: the tree is shared and rebuilt by others while a bench runs. */
function codeProvenance(): { commit: string; workerDistBuiltAt: string; uncommittedFleetFiles: number } {
  const git = (...args: string[]) => execFileSync('git', ['-C', REPO_ROOT, ...args], { encoding: 'utf8' }).trim();
  let commit = 'unknown';
  let uncommittedFleetFiles = -1;
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    uncommittedFleetFiles = git('status', '--porcelain', '--', 'apps/worker', 'apps/cloud-sim', 'packages').split('\n').filter(Boolean).length;
  } catch {
    // not a git checkout: the commit stays unknown
  }
  const workerDistBuiltAt = statSync(join(REPO_ROOT, 'apps', 'worker', 'dist', 'main.js')).mtime.toISOString();
  return { commit, workerDistBuiltAt, uncommittedFleetFiles };
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    process.stderr.write(`bench:start: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench:start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
