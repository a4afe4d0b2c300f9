import { z } from 'zod';
import { type Diagnostics, SectionDrop } from './diagnostics';
import type { PathContext } from './login-section';
import { absolutePath, findExecutable, isReadableFile } from './paths';
import { renameGroups } from './renames';
import type { ResolvedSection } from './resolved-section';
import { parseSectionKeys } from './section-schema';
import type { SetupTemplate } from './template-schema';
import { booleanField, commaList } from './value-schemas';

const SetupKeysSchema = z.object({
  provider: z
    .enum(['ansible', 'script'], { message: "must be 'ansible' or 'script' (elastiq's shell-script provider)" })
    .default('ansible'),
  playbook_path: z.string().optional(),
  ansible_command: z.string().optional(),
  ansible_extra_args: z.string().optional(),
  script_path: z.string().optional(),
  safe_but_slower: booleanField().optional(),
  slow_but_safer: booleanField().optional(),
});

export const GROUPS_KEY = /^([A-Za-z0-9-]+)_groups$/;
const KIND_SCRIPT_KEY = /^([A-Za-z0-9-]+)_script_path$/;
const isDynamicKey = (key: string) =>
  GROUPS_KEY.test(key) || KIND_SCRIPT_KEY.test(key) || key.startsWith('ansible_') || key.includes('_var_');

export interface EnvironmentContext extends PathContext {
  env: Record<string, string | undefined>;
  /** What `%(elasticluster_playbooks)s` stands for: a missing file under it gets its own advice. */
  playbooksDir?: string;
}

async function readablePath(section: ResolvedSection, key: string, value: string, context: EnvironmentContext, what: string): Promise<string> {
  const path = absolutePath(value, context.homeDir, context.cwd);
  if (!(await isReadableFile(path))) {
    const { playbooksDir } = context;
    // ElastiCluster's own configurations point into its bundled playbooks, which elastiq does not ship.
    const advice =
      playbooksDir !== undefined && path.startsWith(`${playbooksDir}/`)
        ? `: %(elasticluster_playbooks)s is ${playbooksDir}, and elastiq does not ship ElastiCluster's playbooks; ` +
          "set ELASTIQ_PLAYBOOKS_DIR to a copy of ElastiCluster's playbooks directory (elasticluster/share/playbooks in its source or installed package)"
        : '';
    throw new SectionDrop(section.locate(key), `must name a readable ${what}, but ${path} does not exist or cannot be read${advice}`);
  }
  return path;
}

/**
 * ElastiCluster checks the whole `ansible_command` value as one executable path, so a command
 * with arguments (which its docs allow) drops the setup section [BUG]. elastiq checks only the
 * first word and keeps the value whole; the setup provider splits it like a shell would.
 */
async function checkAnsibleCommand(section: ResolvedSection, command: string, context: EnvironmentContext): Promise<void> {
  const program = command.trim().split(/\s+/)[0] ?? '';
  const expanded = absolutePath(program, context.homeDir, context.cwd);
  const found = await findExecutable(program.includes('/') ? expanded : program, context.env.PATH, context.cwd);
  if (!found) {
    throw new SectionDrop(section.locate('ansible_command'), `must start with an executable program, but '${program}' is not an executable file or on PATH`);
  }
}

/** The setup section without per-kind variables (those also depend on the cluster section). */
export async function parseSetupSection(
  section: ResolvedSection,
  context: EnvironmentContext,
  diagnostics: Diagnostics,
): Promise<Omit<SetupTemplate, 'vars'>> {
  const keys = parseSectionKeys(section, SetupKeysSchema, diagnostics, {
    booleanKeys: ['safe_but_slower', 'slow_but_safer'],
    isExtraKey: isDynamicKey,
    unknownKeyAdvice: 'a setup section knows provider, playbook_path, <kind>_groups, <kind>_var_*, global_var_*, ansible_*, script_path, <kind>_script_path',
  });
  const groups: Record<string, string[]> = {};
  const kindScriptPaths: Record<string, string> = {};
  const ansibleOptions: Record<string, string> = {};
  for (const [key, entry] of section.entries) {
    const groupsKey = GROUPS_KEY.exec(key);
    if (groupsKey) groups[groupsKey[1] as string] = renameGroups(commaList(entry.value), section, key, diagnostics);
    const scriptKey = KIND_SCRIPT_KEY.exec(key);
    if (scriptKey) kindScriptPaths[scriptKey[1] as string] = await readablePath(section, key, entry.value, context, 'script');
    if (key.startsWith('ansible_')) ansibleOptions[key] = entry.value;
  }
  if (keys.ansible_command !== undefined) await checkAnsibleCommand(section, keys.ansible_command, context);
  const playbookPath = keys.playbook_path === undefined ? undefined : await readablePath(section, 'playbook_path', keys.playbook_path, context, 'playbook');
  const scriptPath = keys.script_path === undefined ? undefined : await readablePath(section, 'script_path', keys.script_path, context, 'script');
  return {
    name: section.name,
    provider: keys.provider,
    groups,
    ...(playbookPath !== undefined ? { playbookPath } : {}),
    ...(keys.ansible_command !== undefined ? { ansibleCommand: keys.ansible_command } : {}),
    ...(keys.ansible_extra_args !== undefined ? { ansibleExtraArgs: keys.ansible_extra_args } : {}),
    ansibleOptions,
    ...(scriptPath !== undefined ? { scriptPath } : {}),
    kindScriptPaths,
    raw: section.record(),
  };
}
