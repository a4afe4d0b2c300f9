import { Command, Option } from 'commander';
import { CommandContext, type Terminal } from './command-context';
import { registerCapacity } from './commands/capacity';
import { registerGc } from './commands/gc';
import { registerListNodes } from './commands/list-nodes';
import { registerListTemplates } from './commands/list-templates';
import { registerList } from './commands/list';
import { registerPause } from './commands/pause';
import { registerResume } from './commands/resume';
import { registerRemoveNode } from './commands/remove-node';
import { registerResize } from './commands/resize';
import { registerSetup } from './commands/setup';
import { registerSsh } from './commands/ssh';
import { registerSftp } from './commands/sftp';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';
import { registerStart } from './commands/start';
import { registerStop } from './commands/stop';
import { registerUpdate } from './commands/update';
import { registerWatch } from './commands/watch';
import { describeFailure } from './errors';
import { GlobalOptionsSchema } from './global-options';

/** What a command body returns: the exit status. Errors are thrown and mapped by errors.ts. */
export type CommandAction = (context: CommandContext) => Promise<number>;
export type CommandRunner = (action: CommandAction) => Promise<void>;

export interface ProgramResult {
  exitCode: number;
}

/**
 * Builds the `elastiq` program. Each command registers itself from its own file; they all run
 * through one runner that opens resources lazily, closes them, and maps errors to exit codes.
 */
export function buildProgram(terminal: Terminal, result: ProgramResult, version: string): Command {
  const program = new Command('elastiq')
    .description('Start compute clusters on a cloud, wait until every node answers SSH, configure them with Ansible.')
    .version(version, '--version', 'print the version of elastiq')
    .option('-c, --config <path>', 'configuration file (ElastiCluster INI or YAML); default ~/.elasticluster/config')
    .option('-s, --storage <dir>', 'read cluster records from this directory instead of the fleet\'s Redis (ELASTIQ_REDIS_URL)')
    .addOption(new Option('-v, --verbose', 'more output; repeat for more (-vv); shows stack traces of errors').argParser(countVerbose).default(0))
    .showHelpAfterError('(run `elastiq --help` or `elastiq <command> --help` for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => terminal.out(text.trimEnd()), writeErr: (text) => terminal.err(text.trimEnd()) });

  const run: CommandRunner = async (action) => {
    let verbose = false;
    let context: CommandContext | undefined;
    try {
      const options = GlobalOptionsSchema.parse(program.opts());
      verbose = options.verbose > 0;
      context = new CommandContext(options, terminal);
      result.exitCode = await action(context);
    } catch (error) {
      const failure = describeFailure((await context?.explainLostRedis(error)) ?? error, verbose);
      if (failure.text) terminal.err(failure.text);
      result.exitCode = failure.exitCode;
    } finally {
      await context?.close();
    }
  };

  registerListTemplates(program, run);
  registerList(program, run);
  registerListNodes(program, run);
  registerStart(program, run);
  registerWatch(program, run);
  registerStop(program, run);
  registerSetup(program, run);
  registerSsh(program, run);
  registerSftp(program, run);
  registerExport(program, run);
  registerImport(program, run);
  registerPause(program, run);
  registerResume(program, run);
  registerUpdate(program, run);
  registerResize(program, run);
  registerRemoveNode(program, run);
  registerGc(program, run);
  registerCapacity(program, run);
  for (const command of program.commands) command.exitOverride().showHelpAfterError(`(run \`elastiq ${command.name()} --help\` for usage)`);
  return program;
}

function countVerbose(_value: string, previous: number): number {
  return previous + 1;
}
