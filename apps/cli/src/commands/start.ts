import { resolve } from 'node:path';
import { getTemplate } from '@elastiq/config';
import { type ElastiqClient, planStart, type StartPlan, type StartRequest } from '@elastiq/client';
import type { Command } from 'commander';
import { parseClusterName, parseNodeOverrides } from '../cli-args';
import type { CommandContext } from '../command-context';
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
  const configFile = resolve(configuration.files[0] ?? '');
  // The same checks and record an admin script gets (one way in), before Redis is even reached;
  // the CLI parsed its options first so that a mistake names them.
  const request: StartRequest = { template, name, nodes: Object.fromEntries(counts), setup: options.setup, configFile };
  const plan = planStart(template, request, configFile);
  const client = await context.openClient('start');
  // From here on Ctrl+C never cuts a write in half: it is acted upon between steps.
  const interrupt = new InterruptWatch();
  try {
    return await startAndFollow(context, client, interrupt, request, plan, options);
  } finally {
    interrupt.dispose();
  }
}

async function startAndFollow(
  context: CommandContext,
  client: ElastiqClient,
  interrupt: InterruptWatch,
  request: StartRequest,
  plan: StartPlan,
  options: StartOptions,
): Promise<number> {
  const terminal = context.terminal;
  const handle = await client.start(request);
  const name = handle.name;
  if (handle.reattached) {
    // Never restart over a start in progress (ElastiCluster reused the stale record, defect 1).
    const current = await client.get(name);
    terminal.err(`A start of \`${name}\` is already in progress (${current?.status ?? 'starting'}); following it. Its nodes are those it was started with.`);
  } else {
    if (!options.json) {
      terminal.err(`Starting cluster \`${name}\` (generation ${handle.generation}) with:`);
      for (const [kind, nodes] of Object.entries(plan.cluster.nodes)) terminal.err(`* ${nodes.length} ${kind} nodes.`);
      terminal.err(options.setup ? '(This may take a while...)' : '(This may take a while; the setup step is skipped as requested.)');
    }
    if (interrupt.interrupted) return reportDetached(terminal, name);
  }
  if (!options.wait) {
    terminal.err(`The fleet is starting \`${name}\`. Follow it with \`elastiq watch ${name}\`; see it with \`elastiq list-nodes ${name}\`.`);
    return 0;
  }
  const outcome = await followStart(context, client, name, interrupt, { showProgress: !options.json });
  return reportFollowOutcome(context, name, outcome, options.json === true);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
