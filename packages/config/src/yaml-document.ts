import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type ConfigDocument, sectionOf } from './config-document';
import { configurationError } from './configuration-error';

// The YAML form of an ElastiCluster configuration: one mapping per section type, the same keys
// and values as the INI form. `[cluster/NAME/KIND]` becomes `cluster: NAME: nodes: KIND:`.
// Values may be strings, numbers, booleans or (for `*_groups`, `network_ids`) lists; they are
// turned into the strings the INI form would hold, so both forms share one pipeline.
// YAML has no `%` interpolation: `%` is literal (`ssh -W %h:%p host`); `$VAR` still expands.

const ScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ValueSchema = z.union([ScalarSchema, z.array(ScalarSchema)]);
const KeysSchema = z.record(z.string(), ValueSchema);
const ClusterKeysSchema = z.record(z.string(), z.union([ValueSchema, z.record(z.string(), KeysSchema)]));

const YamlConfigSchema = z
  .object({
    cloud: z.record(z.string(), KeysSchema).optional(),
    login: z.record(z.string(), KeysSchema).optional(),
    setup: z.record(z.string(), KeysSchema).optional(),
    cluster: z.record(z.string(), ClusterKeysSchema).optional(),
    storage: KeysSchema.optional(),
  })
  .strict();

function asIniString(value: z.infer<typeof ValueSchema>): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((item) => asIniString(item)).join(',');
  return String(value);
}

export function readYamlInto(document: ConfigDocument, text: string, file: string): void {
  const lineCounter = new LineCounter();
  const yamlDocument = parseDocument(text, { lineCounter });
  const syntaxError = yamlDocument.errors[0];
  if (syntaxError) throw configurationError({ file }, `is not valid YAML: ${syntaxError.message}`);
  const data: unknown = yamlDocument.toJS() ?? {};
  // The line of a value, so that errors about it can point there as for INI files.
  const lineOf = (path: string[]): number => {
    const node = yamlDocument.getIn(path, true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? 0 : lineCounter.linePos(offset).line;
  };
  const parsed = YamlConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const where = issue.path.join('.');
    throw configurationError(
      { file },
      `${where || 'top level'}: ${issue.message}. Expected top-level keys cloud, login, setup, cluster, storage, ` +
        'each mapping section names to key/value mappings',
    );
  }
  const put = (header: string, path: string[], keys: Record<string, z.infer<typeof ValueSchema>>) => {
    const section = sectionOf(document, header);
    for (const [key, value] of Object.entries(keys)) {
      section.set(key, { value: asIniString(value), file, line: lineOf([...path, key]), interpolate: false });
    }
  };
  const config = parsed.data;
  for (const type of ['cloud', 'login', 'setup'] as const) {
    for (const [name, keys] of Object.entries(config[type] ?? {})) put(`${type}/${name}`, [type, name], keys);
  }
  if (config.storage) put('storage', ['storage'], config.storage);
  for (const [name, keys] of Object.entries(config.cluster ?? {})) {
    const { nodes, ...clusterKeys } = keys;
    const flat: Record<string, z.infer<typeof ValueSchema>> = {};
    for (const [key, value] of Object.entries(clusterKeys)) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        throw configurationError({ file, section: `cluster/${name}`, key }, 'must be a string, number, boolean or list');
      }
      flat[key] = value;
    }
    put(`cluster/${name}`, ['cluster', name], flat);
    if (nodes === undefined) continue;
    if (typeof nodes !== 'object' || nodes === null || Array.isArray(nodes)) {
      throw configurationError({ file, section: `cluster/${name}`, key: 'nodes' }, 'must map kind names to per-kind keys');
    }
    for (const [kind, kindKeys] of Object.entries(nodes)) put(`cluster/${name}/${kind}`, ['cluster', name, 'nodes', kind], kindKeys);
  }
}
