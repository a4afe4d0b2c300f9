import { z } from 'zod';
import { ConfigurationError } from './errors';

// Cluster.update_config of the reference: after a cluster is read back from its store, the
// configuration file may have changed. Only what can change under running nodes is taken over:
// how to reach them (ssh_to, ssh_proxy_command) and how long to wait for them (the timeouts,
// the pool size). Images, flavors, kinds and keys belong to instances that already exist; a
// change of those is listed as ignored, never applied half-way.

export const UPDATABLE_SETTINGS = ['sshTo', 'sshProxyCommand', 'startTimeout', 'sshProbeTimeout', 'threadPoolMaxSize'] as const;
export type UpdatableSetting = (typeof UPDATABLE_SETTINGS)[number];

const UpdateSchema = z
  .object({
    sshTo: z.string().nullable(),
    sshProxyCommand: z.string(),
    startTimeout: z.number().int().positive(),
    sshProbeTimeout: z.number().int().positive(),
    threadPoolMaxSize: z.union([z.number().int().positive(), z.string()]),
  })
  .partial();

export type ClusterSettingsUpdate = z.infer<typeof UpdateSchema>;

export interface ConfigUpdate {
  /** setting → [before, after], for what changed. */
  updated: Partial<Record<UpdatableSetting, [unknown, unknown]>>;
  /** Settings given that cannot change under existing nodes (left as they are). */
  ignored: string[];
}

/** What `config` changes of `current`; `config` may carry any template keys, only the safe ones count. */
export function planConfigUpdate(current: Readonly<Record<UpdatableSetting, unknown>>, config: Readonly<Record<string, unknown>>): { changes: ClusterSettingsUpdate; report: ConfigUpdate } {
  const given = Object.fromEntries(Object.entries(config).filter(([key, value]) => (UPDATABLE_SETTINGS as readonly string[]).includes(key) && value !== undefined));
  const parsed = UpdateSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(`cannot update the cluster's ${String(issue?.path[0] ?? 'settings')}: ${issue?.message ?? 'invalid value'}`, { key: String(issue?.path[0] ?? '') });
  }
  const changes: ClusterSettingsUpdate = {};
  const updated: ConfigUpdate['updated'] = {};
  for (const key of UPDATABLE_SETTINGS) {
    if (!(key in parsed.data) || parsed.data[key] === current[key]) continue;
    (changes as Record<string, unknown>)[key] = parsed.data[key];
    updated[key] = [current[key], parsed.data[key]];
  }
  const ignored = Object.keys(config).filter((key) => !(UPDATABLE_SETTINGS as readonly string[]).includes(key) && key !== 'name' && config[key] !== undefined);
  return { changes, report: { updated, ignored } };
}
