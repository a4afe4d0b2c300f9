import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';

// Flags of `npm run bench:start -- [flags]`. Defaults are the issue's benchmark; the flags exist
// to re-run one part (e.g. `--only series`) or to ask a what-if question.

const sizeList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().min(2, 'sizes must be whole numbers ≥ 2 (a frontend plus computes)')).min(1));

const workerList = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().min(1, 'worker counts must be whole numbers ≥ 1')).min(1));

const optionsSchema = z.object({
  sizes: sizeList,
  workers: z.coerce.number().int().min(1),
  series: workerList,
  seriesSize: z.coerce.number().int().min(2),
  baselineSizes: sizeList,
  bootDelay: z.string().min(1),
  seed: z.coerce.number().int(),
  runtime: z.enum(['sshd', 'light']),
  largeRuntime: z.enum(['sshd', 'light']),
  largeFrom: z.coerce.number().int().min(2),
  only: z.array(z.enum(['sizes', 'series', 'baseline', 'what-if', 'resize', 'capacity', 'scale'])).optional(),
  resizeBase: z.coerce.number().int().min(2),
  resizeAdd: z.coerce.number().int().min(1),
  capacityNodes: z.coerce.number().int().min(2),
  capacityCap: z.coerce.number().int().min(0),
  scaleNodes: z.coerce.number().int().min(2),
  scaleRateLimit: z.coerce.number().positive(),
  out: z.string().transform((path) => resolve(path)),
  plot: z.string().transform((path) => resolve(path)),
  maxMinutes: z.coerce.number().positive(),
  reportOnly: z.boolean().default(false),
  workerNodeArgs: z.string().transform((text) => text.split(/\s+/).filter(Boolean)),
});
export type BenchOptions = z.infer<typeof optionsSchema>;

export function parseBenchOptions(argv: string[], repoRoot: string): BenchOptions {
  const program = new Command('bench-start')
    .description('Starts clusters on cloud-sim with elastiq and with an ElastiCluster re-enactment; prints JSON and tables.')
    .option('--sizes <list>', 'cluster sizes for elastiq', '10,100,1000')
    .option('--workers <n>', 'worker processes for the size sweep', '2')
    .option('--series <list>', 'worker counts for the scaling series', '1,2,4')
    .option('--series-size <n>', 'cluster size of the scaling series', '100')
    .option('--baseline-sizes <list>', 'cluster sizes for the ElastiCluster baseline', '10,100')
    .option('--boot-delay <spec>', 'cloud-sim boot delay distribution', 'uniform:5s..15s')
    .option('--seed <n>', 'cloud-sim seed (same draws for every run of a size)', '42')
    .option('--runtime <mode>', 'cloud-sim runtime below --large-from', 'sshd')
    .option('--large-runtime <mode>', 'cloud-sim runtime from --large-from nodes on', 'sshd')
    .option('--large-from <n>', 'size from which --large-runtime is used', '1000')
    .option('--only <part...>', 'run only some parts: sizes, series, baseline, what-if, resize, capacity, scale (what-if, resize, capacity and scale run only when named)')
    .option('--resize-base <n>', 'resize: size of the running cluster that grows', '100')
    .option('--resize-add <n>', 'resize: nodes added (and the size of the fresh start it is compared with)', '100')
    .option('--capacity-nodes <n>', 'capacity: cluster size of the capacity scenario', '100')
    .option('--capacity-cap <n>', 'capacity: instances the preferred offering (t3.micro@<region>a) has room for', '30')
    .option('--scale-nodes <n>', 'scale: cluster size of the opt-in large start (light runtime)', '10000')
    .option('--scale-rate-limit <factor>', 'scale: cloud-sim --rate-limit-scale of that start', '10')
    .option('--out <dir>', 'where results JSON goes', `${repoRoot}/bench/results`)
    .option('--plot <base>', 'plot path without extension (.svg and .png are written)', `${repoRoot}/docs/performance-time-to-ready`)
    .option('--max-minutes <n>', 'abort the whole bench after this long', '15')
    .option('--worker-node-args <flags>', 'node flags for every worker of the sizes and scale runs (default: the flags docs/deploy.md recommends; "" for none)', '--max-semi-space-size=4 --heap-growing-percent=50')
    .option('--report-only', 'measure nothing: print the tables and draw the plot from <out>/start.json')
    .parse(argv);
  const parsed = optionsSchema.safeParse(program.opts());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const flag = `--${String(issue.path[0]).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  throw new BenchUsageError(`${flag}: ${issue.message}`);
}

/** A flag mistake: printed as one line, no stack trace. */
export class BenchUsageError extends Error {}
