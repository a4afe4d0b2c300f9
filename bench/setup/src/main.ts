#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createAnsibleProvider } from '@elastiq/setup';
import { generateSshKeyPair, makeTempDir } from '@elastiq/testing';
import { Command } from 'commander';
import { z } from 'zod';
import { runPlaybookByHand } from './hand-run-ansible';
import { startSimNodes } from './sim-nodes';

// bench/setup: how long the setup step takes for 2, 10 and 50 nodes with the example playbook
// (examples/playbooks/site.yml) on cloud-sim's real sshd instances, elastiq's Ansible provider
// against the same playbook run by hand with ansible-playbook's defaults. Both runs of a size
// get fresh instances; they run side by side (elastiq, by hand, elastiq, by hand ...) so the
// machine's noise hits both alike.

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const PLAYBOOK = join(REPO_ROOT, 'examples', 'playbooks', 'site.yml');
const GROUPS = { frontend: ['frontend'], compute: ['compute'] };
/** cloud-sim instances of this bench live in 127.<block>.*.*, away from test suites' blocks. */
const ADDRESS_BLOCK = 231;

const optionsSchema = z.object({
  sizes: z
    .string()
    .transform((text) => text.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1, 'sizes must be whole numbers ≥ 1').max(500, 'sizes above 500 do not fit one address block')).min(1)),
  repeat: z.coerce.number().int().min(1).max(5),
  out: z.string().transform((path) => resolve(path)),
  /** What-if: elastiq's provider with this many forks instead of its default min(N, 50). */
  elastiqForks: z.coerce.number().int().positive().optional(),
});

interface SetupMeasurement {
  nodes: number;
  tool: 'elastiq' | 'by hand';
  seconds: number;
  ok: boolean;
  detail: string;
}

async function main(): Promise<void> {
  const program = new Command('bench-setup')
    .option('--sizes <list>', 'cluster sizes', '2,10,50')
    .option('--repeat <n>', 'measurements per size and tool (the median is reported)', '1')
    .option('--out <dir>', 'where results go', join(REPO_ROOT, 'bench', 'results'))
    .option('--elastiq-forks <n>', "what-if: run elastiq's provider with this many forks (default: its own min(N, 50))")
    .parse(process.argv);
  const parsed = optionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(`bench:setup: --${String(issue.path[0])}: ${issue.message}\n`);
    process.exit(2);
  }
  const options = parsed.data;
  const temp = await makeTempDir('bench-setup');
  const measurements: SetupMeasurement[] = [];
  try {
    const key = await generateSshKeyPair(temp.path);
    let runNumber = 0;
    for (const nodes of options.sizes) {
      for (let repetition = 0; repetition < options.repeat; repetition += 1) {
        for (const tool of ['elastiq', 'by hand'] as const) {
          runNumber += 1;
          const dir = join(temp.path, `run-${runNumber}`);
          await mkdir(dir, { recursive: true });
          const sim = await startSimNodes({ dir, count: nodes, addressBlock: ADDRESS_BLOCK, publicKey: key.publicKey, privateKeyPath: key.privateKeyPath });
          try {
            const measurement = await measure(tool, { dir, sim, privateKeyPath: key.privateKeyPath, forks: options.elastiqForks });
            measurements.push({ nodes, tool, ...measurement });
            process.stderr.write(`bench:setup: ${nodes} nodes, ${tool}: ${measurement.seconds.toFixed(1)} s${measurement.ok ? '' : ` (FAILED: ${measurement.detail})`}\n`);
          } finally {
            await sim.shutdown();
          }
        }
      }
    }
  } finally {
    await temp.cleanup();
  }
  await report(measurements, options.out, options.elastiqForks);
}

async function measure(
  tool: 'elastiq' | 'by hand',
  { dir, sim, privateKeyPath, forks }: { dir: string; sim: Awaited<ReturnType<typeof startSimNodes>>; privateKeyPath: string; forks?: number },
): Promise<Omit<SetupMeasurement, 'nodes' | 'tool'>> {
  const ansibleEnv = { ANSIBLE_HOME: join(dir, 'ansible-home'), ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-local-tmp') };
  const started = process.hrtime.bigint();
  if (tool === 'elastiq') {
    const provider = createAnsibleProvider({ playbookPath: PLAYBOOK, env: ansibleEnv, ...(forks ? { forks } : {}) });
    await provider.checkPrerequisites();
    const outcome = await provider.run({
      clusterName: 'bench',
      nodes: sim.nodes,
      groups: GROUPS,
      clusterVars: { name: 'bench' },
      privateKeyPath,
      knownHostsPath: sim.knownHostsPath,
      workDir: join(dir, 'work'),
      extraArgs: [],
    });
    const failed = Object.entries(outcome.nodes).filter(([, result]) => !result.ok);
    return { seconds: elapsed(started), ok: outcome.ok, detail: failed.map(([node, result]) => `${node}: ${result.reason ?? result.status}`).join('; ') };
  }
  const result = await runPlaybookByHand({ dir, playbookPath: PLAYBOOK, nodes: sim.nodes, privateKeyPath, knownHostsPath: sim.knownHostsPath, clusterName: 'bench' });
  return { seconds: elapsed(started), ok: result.ok, detail: `exit ${result.exitCode}; ${result.recap.filter((line) => !/unreachable=0\s+failed=0/.test(line)).join(' | ')}` };
}

function elapsed(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function report(measurements: SetupMeasurement[], outDir: string, elastiqForks: number | undefined): Promise<void> {
  const sizes = [...new Set(measurements.map((measurement) => measurement.nodes))];
  const rows = sizes.map((nodes) => {
    const of = (tool: SetupMeasurement['tool']) => measurements.filter((measurement) => measurement.nodes === nodes && measurement.tool === tool);
    const elastiq = median(of('elastiq').map((measurement) => measurement.seconds));
    const byHand = median(of('by hand').map((measurement) => measurement.seconds));
    const allOk = [...of('elastiq'), ...of('by hand')].every((measurement) => measurement.ok);
    return { nodes, elastiqSeconds: elastiq, byHandSeconds: byHand, ratio: byHand / elastiq, allOk };
  });
  const json = { measuredAt: new Date().toISOString(), playbook: 'examples/playbooks/site.yml', elastiqForks: elastiqForks ?? 'min(N, 50)', measurements, summary: rows };
  const table = [
    `| nodes | elastiq setup s (forks ${elastiqForks ?? 'min(N, 50)'}, pipelining) | ansible-playbook by hand s (forks 5, no pipelining) | by hand / elastiq | every node ok |`,
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.nodes} | ${row.elastiqSeconds.toFixed(1)} | ${row.byHandSeconds.toFixed(1)} | ${row.ratio.toFixed(2)} | ${row.allOk ? 'yes' : 'NO'} |`),
  ].join('\n');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'setup.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(outDir, 'setup.md'), `${table}\n`);
  process.stdout.write(`${JSON.stringify(json, null, 2)}\n\n${table}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:setup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
