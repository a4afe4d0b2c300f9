import type { ClusterTemplate } from '@elastiq/config';
import { type CloudSettings, type ClusterDict, ConfigurationError } from '@elastiq/core';
import { z } from 'zod';
import { checkSetupSettings } from './check-setup-settings';
import { clusterFromTemplate } from './cluster-from-template';

// What a program asks for when it starts a cluster, parsed before anything is written or
// enqueued: a wrong kind or count names the field, as the CLI's options do.

// Cluster names become Redis keys, file names and cloud tags: keep them to a safe alphabet.
export const ClusterNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must start with a letter or digit and use only letters, digits, _ . and - (at most 63)');

export interface StartRequest {
  /** A template name of the configuration file, or a template built in code. */
  template: string | ClusterTemplate;
  /** Default: the template's name. */
  name?: string;
  /** kind → node count, replacing the template's; a count below min_nodes lowers it too. */
  nodes?: Record<string, number>;
  /** Run the setup step once the nodes are up (default true). */
  setup?: boolean;
  /** For a template built in code: the configuration file whose cloud section holds credentials. */
  configFile?: string;
}

export interface StartPlan {
  cluster: ClusterDict;
  cloud: CloudSettings;
}

const CountSchema = z.number().int('must be a whole number').positive('must be at least 1');

export function planStart(template: ClusterTemplate, request: StartRequest, configFile: string): StartPlan {
  const name = request.name ?? template.name;
  const parsedName = ClusterNameSchema.safeParse(name);
  if (!parsedName.success) throw new ConfigurationError(`cluster name '${name}': ${parsedName.error.issues[0]?.message ?? 'is invalid'}`);
  const kinds = template.kinds.map((kind) => kind.kind);
  const counts = new Map<string, number>();
  for (const [kind, count] of Object.entries(request.nodes ?? {})) {
    if (!kinds.includes(kind)) {
      throw new ConfigurationError(`nodes.${kind}: template \`${template.name}\` has no node kind \`${kind}\``, { hint: `its kinds are ${kinds.join(', ')}` });
    }
    const parsed = CountSchema.safeParse(count);
    if (!parsed.success) throw new ConfigurationError(`nodes.${kind}: ${String(count)} ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    counts.set(kind, parsed.data);
  }
  if (request.setup !== false) checkSetupSettings(template, configFile);
  return clusterFromTemplate(template, { name: parsedName.data, counts, configFile });
}
