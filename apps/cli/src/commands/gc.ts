import { EXIT_CODES, ElastiqError, formatDuration, parseDuration } from '@elastiq/core';
import { type FleetGcResult, FleetGcResultSchema, type FleetProducer, requestFleetGc } from '@elastiq/queue';
import type { Command } from 'commander';
import type { CommandContext } from '../command-context';
import { EXIT_INTERRUPTED, UsageError } from '../errors';
import { InterruptWatch } from '../interrupt';
import { formatTable } from '../output/table';
import type { CommandRunner } from '../program';

interface GcOptions {
  olderThan: string;
  yes?: boolean;
  json?: boolean;
}

const POLL_MS = 300;
/** After this long without a worker taking the job, say why nothing happens. */
const NO_WORKER_NOTE_MS = 3000;

export function registerGc(program: Command, run: CommandRunner): void {
  program
    .command('gc')
    .description(
      'list the instances this installation launched that belong to no live cluster (a crashed start, a lost record, a rollback that could not finish); with --yes, terminate them',
    )
    .option('--older-than <duration>', 'only instances launched longer ago than this (30s, 10m, 2h, 1d)', '10m')
    .option('-y, --yes', 'terminate the orphans instead of only listing them')
    .option('--json', "print the gc job's result as JSON")
    .addHelpText('after', '\nThe fleet\'s workers do the work (they hold the cloud credentials); instances without this installation\'s elastiq:installation tag are never touched.')
    .action((options: GcOptions) => run((context) => collectGarbage(context, options)));
}

async function collectGarbage(context: CommandContext, options: GcOptions): Promise<number> {
  const olderThanMs = parseDuration(options.olderThan);
  if (olderThanMs === null) throw new UsageError(`--older-than '${options.olderThan}': must be a whole number and a unit, e.g. 30s, 10m, 2h or 1d`);
  const producer = await context.openProducer('gc');
  const dryRun = options.yes !== true;
  const job = await requestFleetGc(producer.queues.fleetGc, { dryRun, olderThanMs });
  const interrupt = new InterruptWatch();
  let result: FleetGcResult | null;
  try {
    result = await waitForResult(context, producer, job.id as string, interrupt);
  } finally {
    interrupt.dispose();
  }
  if (result === null) {
    context.terminal.err(`\nStopped waiting; the gc job ${job.id} goes on in the fleet.`);
    return EXIT_INTERRUPTED;
  }
  if (options.json) context.terminal.out(JSON.stringify(result, null, 2));
  else report(context, result);
  const unreachable = result.clouds.filter((cloud) => cloud.error !== null);
  for (const cloud of unreachable) context.terminal.err(`error: ${cloud.ec2Url} (${cloud.ec2Region}, credentials ${cloud.credentialSource}): ${cloud.error}`);
  return unreachable.length > 0 ? EXIT_CODES.unavailable : 0;
}

/** The job's return value, or null after Ctrl+C; a job that failed for good is an error. */
async function waitForResult(context: CommandContext, producer: FleetProducer, jobId: string, interrupt: InterruptWatch): Promise<FleetGcResult | null> {
  const started = Date.now();
  let noted = false;
  for (;;) {
    const job = await producer.queues.fleetGc.getJob(jobId);
    const state = job === undefined ? 'unknown' : await job.getState();
    if (job !== undefined && state === 'completed') return FleetGcResultSchema.parse(job.returnvalue);
    if (job !== undefined && state === 'failed') {
      throw new ElastiqError(`the gc job failed: ${job.failedReason}`, { hint: 'the worker logs say more; run `elastiq gc` again later', exitCode: EXIT_CODES.tempFail });
    }
    if (!noted && Date.now() - started > NO_WORKER_NOTE_MS && (await producer.queues.fleetGc.getWorkersCount()) === 0) {
      noted = true;
      context.terminal.err(`note: no elastiq-worker serving ${producer.queues.fleetGc.name} jobs is connected to this Redis right now; gc runs when one is.`);
    }
    await interrupt.pause(POLL_MS);
    if (interrupt.interrupted) return null;
  }
}

function report(context: CommandContext, result: FleetGcResult): void {
  const grace = formatDuration(result.olderThanMs);
  const spared = Object.values(result.spared).reduce((sum, count) => sum + count, 0);
  const sparedNote = spared > 0 ? ` (${spared} other tagged instance(s) spared: ${Object.entries(result.spared).map(([why, count]) => `${count} ${why}`).join(', ')})` : '';
  if (result.orphans.length === 0) {
    context.terminal.err(`No orphaned instances older than ${grace} for installation ${result.installationId}${sparedNote}.`);
    return;
  }
  const rows = result.orphans.map((orphan) => [
    orphan.instanceId,
    orphan.cluster ?? '',
    orphan.generation === null ? '' : String(orphan.generation),
    orphan.state,
    orphan.launchTime ?? '',
    orphan.cloud,
    orphan.reason,
  ]);
  context.terminal.out(formatTable(['instance', 'cluster', 'gen', 'state', 'launched', 'cloud', 'reason'], rows));
  if (result.dryRun) {
    context.terminal.err(`${result.orphans.length} orphaned instance(s) older than ${grace}${sparedNote}; \`elastiq gc --yes\` terminates them.`);
  } else {
    context.terminal.err(`Terminated ${result.terminated.length} of ${result.orphans.length} orphaned instance(s) older than ${grace}${sparedNote}.`);
  }
}
