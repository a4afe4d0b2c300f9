import { ClusterDictSchema } from '@elastiq/core';
import type { z } from 'zod';

// On disk, cluster files look like ElastiCluster's (snake_case keys: `user_key_name`,
// `cluster_name`), while the code uses camelCase. Only keys of *schema fields* are renamed:
// the keys of records (kind names in `nodes` and `min_nodes`, user keys in `extra`) are data and
// must stay exactly as the user wrote them. Walking the schema keeps this true when fields are
// added to ClusterDictSchema.

type Schema = z.core.$ZodType;
type Direction = 'toSnake' | 'toCamel';

export function camelToSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function convert(schema: Schema, value: unknown, direction: Direction): unknown {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'optional':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return convert(def.innerType as Schema, value, direction);
    case 'object':
      return isPlainObject(value) ? convertObject(def.shape as Record<string, Schema>, value, direction) : value;
    case 'record':
      if (!isPlainObject(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, convert(def.valueType as Schema, item, direction)]));
    case 'array':
      return Array.isArray(value) ? value.map((item) => convert(def.element as Schema, item, direction)) : value;
    case 'union': {
      // Only object members have keys to rename; the first object member wins.
      const objectMember = (def.options as Schema[]).find((option) => option._zod.def.type === 'object');
      return objectMember && isPlainObject(value) ? convert(objectMember, value, direction) : value;
    }
    default:
      return value;
  }
}

function convertObject(shape: Record<string, Schema>, value: Record<string, unknown>, direction: Direction): Record<string, unknown> {
  // Reading accepts both spellings (a hand-written or older JSON file may use camelCase).
  const fieldOfKey = new Map<string, string>();
  for (const field of Object.keys(shape)) {
    fieldOfKey.set(field, field);
    fieldOfKey.set(camelToSnake(field), field);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = fieldOfKey.get(key);
    if (field === undefined) {
      result[key] = item; // not a field: left for the schema to judge
      continue;
    }
    const converted = convert(shape[field], item, direction);
    result[direction === 'toSnake' ? camelToSnake(field) : field] = converted;
  }
  // Written files list fields in sorted order, as ElastiCluster's yaml.safe_dump does; record
  // keys (kinds) keep their order because the order of kinds is the order of the output.
  return direction === 'toSnake' ? sortKeys(result) : result;
}

export function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A cluster record with ElastiCluster's snake_case keys, ready to be written. */
export function clusterToSnakeCase(cluster: unknown): unknown {
  return convert(ClusterDictSchema, cluster, 'toSnake');
}

/** A decoded cluster file (snake_case or camelCase keys) with the schema's camelCase keys. */
export function clusterToCamelCase(record: unknown): unknown {
  return convert(ClusterDictSchema, record, 'toCamel');
}
