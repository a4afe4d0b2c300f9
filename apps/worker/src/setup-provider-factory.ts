import { type ClusterDict, ConfigurationError } from '@elastiq/core';
import { createAnsibleProvider, createScriptProvider, type SetupProvider } from '@elastiq/setup';
import { z } from 'zod';
import { noSetupProvider } from './no-setup-provider';

// The CLI stores the template's setup section (no secrets: paths, provider, options) in the
// record's `extra.elastiq_setup` at start, so setup runs the way the cluster was started even
// after the configuration changed.

const SetupSettingsSchema = z.object({
  name: z.string(),
  provider: z.enum(['ansible', 'script']),
  playbook_path: z.string().nullable().default(null),
  ansible_command: z.string().nullable().default(null),
  ansible_extra_args: z.string().nullable().default(null),
  ansible_options: z.record(z.string(), z.string()).default({}),
  script_path: z.string().nullable().default(null),
  kind_script_paths: z.record(z.string(), z.string()).default({}),
  vars: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});
export type SetupSettings = z.infer<typeof SetupSettingsSchema>;

export function setupSettingsOf(cluster: ClusterDict): SetupSettings | null {
  const raw = cluster.extra.elastiq_setup;
  if (raw === undefined || raw === null) return null;
  const parsed = SetupSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `extra.elastiq_setup.${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigurationError(`the record of cluster \`${cluster.name}\` has invalid setup settings: ${problems.join('; ')}`, {
    hint: 'start the cluster again with this version of elastiq',
  });
}

/** The setup provider a cluster was started with; none when its record names none. */
export function setupProviderFor(cluster: ClusterDict): SetupProvider {
  const settings = setupSettingsOf(cluster);
  if (settings === null) return noSetupProvider;
  const configSection = `setup/${settings.name}`;
  if (settings.provider === 'script') {
    return createScriptProvider({
      ...(settings.script_path ? { scriptPath: settings.script_path } : {}),
      kindScriptPaths: settings.kind_script_paths,
      configSection,
    });
  }
  if (!settings.playbook_path) {
    throw new ConfigurationError('the setup section gives no playbook', { section: configSection, key: 'playbook_path', hint: 'set playbook_path' });
  }
  return createAnsibleProvider({
    playbookPath: settings.playbook_path,
    ...(settings.ansible_command ? { ansibleCommand: settings.ansible_command } : {}),
    ...(settings.ansible_extra_args ? { extraArgs: settings.ansible_extra_args } : {}),
    ansibleOptions: settings.ansible_options,
    kindVars: settings.vars,
    configSection,
  });
}
