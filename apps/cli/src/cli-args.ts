import { ClusterNameSchema } from '@elastiq/client';
import { ConfigurationError } from '@elastiq/core';
import { z } from 'zod';

// Every value that comes from the command line is parsed here, so a mistake names the option,
// what was given and what is expected, before anything is written or enqueued.

const NODE_COUNT = /^(\d+):([^:,\s]+)$/;

export const NodesOptionSchema = z
  .string()
  .regex(NODE_COUNT, 'must be N:KIND, e.g. 3:compute')
  .transform((text) => {
    const [, count, kind] = NODE_COUNT.exec(text) as RegExpExecArray;
    return { count: Number(count), kind };
  })
  .refine(({ count }) => count > 0, 'N must be a positive integer');

export type NodeCountOverride = z.output<typeof NodesOptionSchema>;

/**
 * `--nodes 3:compute --nodes 1:frontend` or ElastiCluster's `--nodes 3:compute,1:frontend`. Each
 * KIND must be a kind of the template: ElastiCluster crashed on a new kind (defect 1).
 */
export function parseNodeOverrides(values: readonly string[], templateName: string, kinds: readonly string[]): Map<string, number> {
  const overrides = new Map<string, number>();
  for (const value of values.flatMap((item) => item.split(','))) {
    const parsed = NodesOptionSchema.safeParse(value.trim());
    if (!parsed.success) {
      throw new ConfigurationError(`--nodes '${value}': ${parsed.error.issues[0]?.message ?? 'is invalid'}`, {
        hint: `give N:KIND with N >= 1 and KIND one of ${kinds.join(', ')}`,
      });
    }
    const { count, kind } = parsed.data;
    if (!kinds.includes(kind)) {
      throw new ConfigurationError(`--nodes '${value}': template \`${templateName}\` has no node kind \`${kind}\``, {
        hint: `its kinds are ${kinds.join(', ')}`,
      });
    }
    overrides.set(kind, count);
  }
  return overrides;
}

export function parseClusterName(value: string, option: string): string {
  const parsed = ClusterNameSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(`${option} '${value}': ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
}
