import { join } from 'node:path';
import { type CliResult, runElastiq } from './fleet/elastiq-cli';
import { FleetHarness } from './fleet/fleet-harness';

// Every command that names a cluster or a node, asked about one that does not exist: one line
// saying so and exit 66 (EX_NOINPUT), before anything is enqueued. The commands come from
// `elastiq --help`, so a new command without a case here fails this spec until it has one.

/** The arguments that make each command name `ghost` (or node `ghost001` of `real`). */
const UNKNOWN_CLUSTER: Record<string, string[]> = {
  'list-nodes': ['list-nodes', 'ghost'],
  watch: ['watch', 'ghost'],
  stop: ['stop', 'ghost', '-y'],
  setup: ['setup', 'ghost'],
  ssh: ['ssh', 'ghost'],
  sftp: ['sftp', 'ghost'],
  pause: ['pause', 'ghost'],
  resume: ['resume', 'ghost'],
  update: ['update', 'ghost'],
  resize: ['resize', 'ghost', '-a', '1:compute', '-y'],
  'remove-node': ['remove-node', 'ghost', 'compute001', '-y'],
  export: ['export', 'ghost'],
};
const UNKNOWN_NODE: Record<string, string[]> = {
  ssh: ['ssh', 'real', '-n', 'ghost001'],
  sftp: ['sftp', 'real', '-n', 'ghost001'],
  'remove-node': ['remove-node', 'real', 'ghost001', '-y'],
};
/** Commands that name no existing cluster (or create one). */
const NAME_NO_CLUSTER = new Set(['list-templates', 'list', 'start', 'gc', 'import', 'capacity', 'help']);

function expectOneLine(result: CliResult, pattern: RegExp): void {
  expect({ code: result.code, lines: result.stderr.trimEnd().split('\n') }).toEqual({ code: 66, lines: [expect.stringMatching(pattern)] });
}

describe('unknown clusters and nodes, command by command', () => {
  const fleet = new FleetHarness();
  let commands: string[];

  function elastiq(...args: string[]): Promise<CliResult> {
    return runElastiq(fleet, { configPath: join(fleet.scratchDir, 'no-config-needed'), home: fleet.scratchDir, timeoutMs: 30_000 }, args);
  }

  beforeAll(async () => {
    await fleet.start();
    const record = fleet.clusterDict('real', { frontend: { count: 1 }, compute: { count: 1 } });
    await fleet.repository.save({ ...record, status: 'ready' }, null);
    const help = await elastiq('--help');
    commands = [...help.stdout.split('Commands:')[1]!.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1]!);
  });
  afterAll(() => fleet.stop());

  it('lists every command in --help, and each has its own --help', async () => {
    expect(commands).toEqual(expect.arrayContaining(['start', 'stop', 'resize', 'remove-node', 'pause', 'resume', 'update', 'gc']));
    for (const command of commands.filter((name) => name !== 'help')) {
      const result = await elastiq(command, '--help');
      expect({ command, code: result.code, usage: result.stdout.includes(`Usage: elastiq ${command}`) }).toEqual({ command, code: 0, usage: true });
    }
  });

  it('has a case here for every command that names a cluster', () => {
    const uncovered = commands.filter((command) => !NAME_NO_CLUSTER.has(command) && UNKNOWN_CLUSTER[command] === undefined);
    expect(uncovered).toEqual([]);
  });

  it('an unknown cluster: one line naming it, exit 66, for every such command', async () => {
    for (const command of commands.filter((name) => UNKNOWN_CLUSTER[name] !== undefined)) {
      const result = await elastiq(...(UNKNOWN_CLUSTER[command] as string[]));
      expectOneLine(result, /^error: .*`ghost`/);
    }
  });

  it('an unknown node of an existing cluster: one line naming the node, exit 66', async () => {
    for (const command of commands.filter((name) => UNKNOWN_NODE[name] !== undefined)) {
      const result = await elastiq(...(UNKNOWN_NODE[command] as string[]));
      expectOneLine(result, /ghost001/);
    }
  });
});
