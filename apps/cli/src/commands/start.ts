import { resolve } from 'node:path';
import { getTemplate } from '@elastiq/config';
import type { CloudSettings, ClusterDict } from '@elastiq/core';
import type { FleetProducer } from '@elastiq/queue';
import type { Command } from 'commander';
import { parseClusterName, parseNodeOverrides } from '../cli-args';
import { clusterFromTemplate } from '../cluster-from-template';
import type { CommandContext } from '../command-context';
import { checkSetupSettings } from '../fleet/check-setup-settings';
import { reportFollowOutcome } from '../fleet/follow-and-report';
import { followStart } from '../fleet/follow-start';
import { InterruptWatch } from '../interrupt';
import { reportDetached } from '../output/start-result';
import type { CommandRunner } from '../program';

interface StartOptions {
  name?: string;
  nodes: string[];
  setup: boolean;
  wait: boolean;
  json?: boolean;
}

/** Statuses of a start that is still going on: `start` of the same name follows it instead. */
const IN_PROGRESS = new Set(['starting', 'setting-up']);

export function registerStart(program: Command, run: CommandRunner): void {
  program
    .command('start')
    .description('start a cluster from a template, follow its progress and exit 0 only when it is ready')
    .argument('<template>', 'cluster template (see `elastiq list-templates`)')
    .option('-n, --name <name>', 'cluster name (default: the template name)')
    .option('--nodes <N:KIND>', 'number of nodes of a kind, replacing the template\'s (repeatable, or N1:KIND1,N2:KIND2)', collect, [])
    .option('--no-setup', 'do not run the setup step: the cluster is ready once every node answers SSH')
    .option('--no-wait', 'enqueue the start and return; follow it later with `elastiq watch NAME`')
    .option('--json', 'print the final cluster record as JSON instead of the summary (no progress bars)')
    .action((template: string, options: StartOptions) => run((context) => startCluster(context, template, options)));
}

async function startCluster(context: CommandContext, templateName: string, options: StartOptions): Promise<number> {
  const configuration = await context.loadConfiguration();
  const template = getTemplate(configuration, templateName);
  const name = parseClusterName(options.name ?? templateName, options.name === undefined ? 'TEMPLATE (the default cluster name)' : '--name');
  const counts = parseNodeOverrides(options.nodes, template.name, template.kinds.map((kind) => kind.kind));
  const { cluster, cloud } = clusterFromTemplate(template, { name, counts, configFile: resolve(configuration.files[0] ?? '') });
  if (options.setup) checkSetupSettings(template, resolve(configuration.files[0] ?? ''));

  const producer = await context.openProducer('start');
  // From here on Ctrl+C never cuts a write in half: it is acted upon between steps.
  const interrupt = new InterruptWatch();
  try {
    return await startAndFollow(context, producer, interrupt, { name, cluster, cloud, options });
  } finally {
    interrupt.dispose();
  }
}

interface StartPlan {
  name: string;
  cluster: ClusterDict;
  cloud: CloudSettings;
  options: StartOptions;
}

async function startAndFollow(context: CommandContext, producer: FleetProducer, interrupt: InterruptWatch, { name, cluster, cloud, options }: StartPlan): Promise<number> {
  const existing = await (await context.openRepository()).get(name);
  const terminal = context.terminal;
  if (existing !== null && IN_PROGRESS.has(existing.value.status)) {
    // Never restart over a start in progress (ElastiCluster reused the stale record, defect 1).
    terminal.err(`A start of \`${name}\` is already in progress (${existing.value.status}); following it. Its nodes are those it was started with.`);
  } else {
    const started = await producer.startCluster({ cluster, cloud, runSetup: options.setup });
    if (!options.json) {
      terminal.err(`Starting cluster \`${name}\` (generation ${started.generation}) with:`);
      for (const [kind, nodes] of Object.entries(cluster.nodes)) terminal.err(`* ${nodes.length} ${kind} nodes.`);
      terminal.err(options.setup ? '(This may take a while...)' : '(This may take a while; the setup step is skipped as requested.)');
    }
    if (interrupt.interrupted) return reportDetached(terminal, name);
  }
  if (!options.wait) {
    terminal.err(`The fleet is starting \`${name}\`. Follow it with \`elastiq watch ${name}\`; see it with \`elastiq list-nodes ${name}\`.`);
    return 0;
  }
  const outcome = await followStart(context, producer, name, interrupt, { showProgress: !options.json });
  return reportFollowOutcome(context, name, outcome, options.json === true);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
