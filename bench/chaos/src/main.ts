import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { type RunOutcome, runScenario } from './run-scenario';
import { SCENARIOS } from './scenarios';

// bench/chaos: every scenario R times with different seeds on real Redis, cloud-sim and worker
// processes; a table (scenario, runs, correct, duplicates, leaks, lost records) and JSON.
// Exit code 1 when any run is not correct: a row below R/R is a bug, not a figure.

/** The short profile CI runs: one of each kind of fault, one run each (about 4 minutes). */
const CI_PROFILE = ['sigkill-start', 'sigkill-stop', 'redis-crash-always', 'redis-frozen-20s', 'cloud-throttle-30', 'cloud-api-outage', 'cloud-sim-restart', 'never-booting', 'producer-killed', 'two-clis-one-name'];

function positive(name: string) {
  return (text: string) => {
    if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1, got "${text}"`);
    return Number(text);
  };
}

const program = new Command('bench-chaos')
  .description('Faults survived, in numbers: each scenario repeated with seeds, checked against cloud-sim\'s inventory.')
  .option('--runs <R>', 'runs per scenario', positive('--runs'), 5)
  .option('--seed <n>', 'seed of the first run (run i uses seed + i)', positive('--seed'), 1)
  .option('--nodes <N>', 'nodes per cluster (1 frontend + N-1 compute)', positive('--nodes'), 6)
  .option('--workers <W>', 'worker processes', positive('--workers'), 3)
  .option('--boot-delay <spec>', "cloud-sim's boot delay", 'uniform:500ms..2s')
  .option('--profile <name>', `full (every scenario) or ci (one run each of ${CI_PROFILE.join(', ')})`, 'full')
  .option('--scenarios <names>', `comma-separated subset of: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`)
  .option('--out <file>', 'JSON results', join(__dirname, '..', '..', 'results', 'chaos', 'chaos.json'));

interface Row {
  scenario: string;
  what: string;
  runs: number;
  correct: number;
  duplicates: number;
  leaks: number;
  lostRecords: number;
  medianStartS: number;
}

async function main(): Promise<void> {
  program.parse();
  const options = program.opts<{ runs: number; seed: number; nodes: number; workers: number; bootDelay: string; profile: string; scenarios?: string; out: string }>();
  if (options.profile !== 'full' && options.profile !== 'ci') throw new InvalidArgumentError(`--profile must be full or ci, got "${options.profile}"`);
  if (options.profile === 'ci' && program.getOptionValueSource('runs') !== 'cli') options.runs = 1;
  const wanted = options.scenarios?.split(',').map((name) => name.trim()) ?? (options.profile === 'ci' ? CI_PROFILE : undefined);
  const unknown = wanted?.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name)) ?? [];
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown scenario ${unknown.join(', ')}; see --help for the list`);
  const scenarios = SCENARIOS.filter((scenario) => wanted === undefined || wanted.includes(scenario.name));

  const outcomes: RunOutcome[] = [];
  const rows: Row[] = [];
  const startedAt = Date.now();
  for (const scenario of scenarios) {
    const runs: RunOutcome[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      const outcome = await runScenario(scenario, run, options.seed + run, { nodes: options.nodes, workers: options.workers, bootDelay: options.bootDelay });
      runs.push(outcome);
      process.stderr.write(`${scenario.name} #${run} seed ${outcome.seed}: ${outcome.correct ? 'correct' : `NOT CORRECT: ${outcome.reason}`} (start ${(outcome.startMs / 1000).toFixed(1)} s)\n`);
    }
    outcomes.push(...runs);
    rows.push({
      scenario: scenario.name,
      what: scenario.what,
      runs: runs.length,
      correct: runs.filter((run) => run.correct).length,
      duplicates: sum(runs.map((run) => run.duplicates)),
      leaks: sum(runs.map((run) => run.leaks)),
      lostRecords: sum(runs.map((run) => run.lostRecords)),
      medianStartS: median(runs.map((run) => run.startMs / 1000)),
    });
  }
  const settings = { runs: options.runs, firstSeed: options.seed, nodes: options.nodes, workers: options.workers, bootDelay: options.bootDelay, durationS: Math.round((Date.now() - startedAt) / 1000) };
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify({ settings, rows, outcomes }, null, 2)}\n`);
  process.stdout.write(`${table(rows)}\n${settings.durationS} s in all; JSON: ${options.out}\n`);
  const bad = rows.filter((row) => row.correct < row.runs || row.duplicates > 0 || row.leaks > 0 || row.lostRecords > 0);
  process.stdout.write(`chaos: ${rows.length - bad.length} scenarios correct, ${bad.length} not\n`);
  process.exitCode = bad.length === 0 ? 0 : 1;
}

function table(rows: Row[]): string {
  const lines = ['| scenario | runs | correct | duplicates | leaks | lost records | median start (s) |', '|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    lines.push(`| ${row.scenario} | ${row.runs} | ${row.correct}/${row.runs} | ${row.duplicates} | ${row.leaks} | ${row.lostRecords} | ${row.medianStartS.toFixed(1)} |`);
  }
  return lines.join('\n');
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-chaos: ${(error as Error).message}\n`);
  process.exit(2);
});
