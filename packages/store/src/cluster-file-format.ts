import type { ClusterDict } from '@elastiq/core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseClusterRecord } from './cluster-record';
import { clusterToCamelCase, clusterToSnakeCase, sortKeys } from './record-key-case';
import type { Versioned } from './repository';

export type ClusterFileFormat = 'yaml' | 'json';

/** Looked up in this order, as ElastiCluster does (without its unreadable pickle). */
export const CLUSTER_FILE_EXTENSIONS: Record<ClusterFileFormat, string> = { json: '.json', yaml: '.yaml' };
export const FORMAT_LOOKUP_ORDER: ClusterFileFormat[] = ['json', 'yaml'];

export type DecodedFile = { ok: true; record: Versioned<ClusterDict> } | { ok: false; problem: string };

/** ElastiCluster-like: snake_case keys in sorted order, 4-space indent, plus our `revision`. */
export function encodeClusterFile(cluster: ClusterDict, revision: number, format: ClusterFileFormat): string {
  const document = sortKeys({ ...(clusterToSnakeCase(cluster) as Record<string, unknown>), revision });
  if (format === 'json') return `${JSON.stringify(document, null, 4)}\n`;
  return stringifyYaml(document, { indent: 4, lineWidth: 0 });
}

/**
 * Reads a cluster file written by elastiq or by ElastiCluster (which has no `revision`: it reads
 * as revision 0, so the first elastiq save of it expects 0). Never throws.
 */
export function decodeClusterFile(text: string, format: ClusterFileFormat, expectedName: string): DecodedFile {
  if (text.trim() === '') return { ok: false, problem: 'is empty' };
  let document: unknown;
  try {
    document = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return { ok: false, problem: `is not valid ${format.toUpperCase()} (${(error as Error).message.split('\n')[0]})` };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, problem: `is not a ${format.toUpperCase()} mapping of cluster fields` };
  }
  const { revision = 0, ...fields } = document as Record<string, unknown>;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    return { ok: false, problem: `has an invalid revision ${JSON.stringify(revision)} (expected a whole number >= 0)` };
  }
  const parsed = parseClusterRecord(clusterToCamelCase(fields));
  if (!parsed.ok) return { ok: false, problem: `is not a valid cluster record: ${parsed.problem}` };
  if (parsed.cluster.name !== expectedName) {
    return { ok: false, problem: `holds cluster \`${parsed.cluster.name}\`, not \`${expectedName}\` as its file name says` };
  }
  return { ok: true, record: { value: parsed.cluster, revision } };
}
