import { z } from 'zod';
import { isKnownClusterKey, KIND_ONLY_KEYS } from './cluster-keys';
import { crossValidate } from './cross-validation';
import { type Diagnostics, SectionDrop } from './diagnostics';
import { collectKindVariables } from './kind-variables';
import { buildKind, discoverKinds, orderKinds } from './kinds';
import type { ResolvedSection } from './resolved-section';
import { parseSectionKeys } from './section-schema';
import type { CloudTemplate, ClusterTemplate, LoginTemplate, SetupTemplate } from './template-schema';
import { ClusterTemplateSchema } from './template-schema';
import { integerField } from './value-schemas';

const ClusterKeysSchema = z.object({
  cloud: z.string(),
  login: z.string(),
  setup: z.string(),
  start_timeout: integerField(1, 'seconds for each wait at start').default(600),
  ssh_probe_timeout: integerField(1, 'seconds for one SSH connect attempt').default(5),
  ssh_proxy_command: z.string().default(''),
  ssh_to: z.string().optional(),
  availability_zone: z.string().default(''),
});
const NAMED_FIELDS = ['cloud', 'login', 'setup', 'start_timeout', 'ssh_probe_timeout', 'ssh_proxy_command', 'ssh_to', 'availability_zone'];

/** A referenced section, or why the cluster cannot use it. */
export type Reference<T> = { value: T; section: ResolvedSection } | { dropReason: string } | undefined;

export interface ClusterReferences {
  cloud: (name: string) => Reference<CloudTemplate>;
  login: (name: string) => Reference<LoginTemplate>;
  setup: (name: string) => Reference<Omit<SetupTemplate, 'vars'>>;
}

function dereference<T>(cluster: ResolvedSection, type: string, name: string, reference: Reference<T>): { value: T; section: ResolvedSection } {
  if (reference === undefined) {
    throw new SectionDrop(cluster.locate(type), `refers to [${type}/${name}], which does not exist in the configuration`);
  }
  if ('dropReason' in reference) {
    throw new SectionDrop(cluster.locate(type), `refers to [${type}/${name}], which was dropped: ${reference.dropReason}`);
  }
  return reference;
}

function warnAboutClusterKeys(cluster: ResolvedSection, diagnostics: Diagnostics): void {
  for (const [key, entry] of cluster.entries) {
    if (KIND_ONLY_KEYS.includes(key)) {
      diagnostics.warn(
        cluster.locate(key),
        `has no effect in [cluster/NAME], as in ElastiCluster: set it per kind in [${cluster.header}/KIND]${key === 'image_user' ? ' or in the login section' : ''}`,
      );
    } else if (!isKnownClusterKey(key) && !entry.fromDefault) {
      diagnostics.warn(cluster.locate(key), `is not a known cluster key: it is kept and passed to Ansible as elasticluster.${key}`);
    }
  }
}

export function buildClusterTemplate(
  cluster: ResolvedSection,
  overrides: ResolvedSection[],
  references: ClusterReferences,
  diagnostics: Diagnostics,
): ClusterTemplate {
  // Counts first: ElastiCluster builds the kinds before it validates the section, so a count
  // that is not an integer aborts the load even when the section has other problems.
  const counts = discoverKinds(cluster, diagnostics);
  const keys = parseSectionKeys(cluster, ClusterKeysSchema, diagnostics, {
    isExtraKey: () => true,
    unknownKeyAdvice: '',
  });
  warnAboutClusterKeys(cluster, diagnostics);
  for (const override of overrides) {
    if (!counts.some((count) => count.kind === override.kind)) {
      throw new SectionDrop(
        { file: override.file, section: override.header },
        `overrides kind '${override.kind}', but [${cluster.header}] has no ${override.kind}_nodes key: add it or remove the section`,
      );
    }
  }
  const cloud = dereference(cluster, 'cloud', keys.cloud, references.cloud(keys.cloud)).value;
  const login = dereference(cluster, 'login', keys.login, references.login(keys.login)).value;
  const setupRef = dereference(cluster, 'setup', keys.setup, references.setup(keys.setup));
  const kinds = orderKinds(counts, overrides).map((count) =>
    buildKind(count, cluster, overrides.find((section) => section.kind === count.kind), login, diagnostics),
  );
  const setup = setupRef.value;
  crossValidate(cluster, kinds, cloud, setup, setupRef.section);
  const vars = collectKindVariables(
    kinds.map((kind) => kind.kind),
    setupRef.section,
    cluster,
    (kind) => setup.provider === 'script' || setup.groups[kind] !== undefined,
  );
  const extra: Record<string, unknown> = {};
  for (const [key, entry] of cluster.entries) if (!NAMED_FIELDS.includes(key)) extra[key] = entry.value;
  return ClusterTemplateSchema.parse({
    name: cluster.name,
    cloud,
    login,
    setup: { ...setup, vars },
    kinds,
    startTimeout: keys.start_timeout,
    sshProbeTimeout: keys.ssh_probe_timeout,
    sshProxyCommand: keys.ssh_proxy_command,
    sshTo: keys.ssh_to ?? null,
    availabilityZone: keys.availability_zone,
    extra,
  });
}

