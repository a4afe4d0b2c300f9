import { stringify } from 'yaml';
import type { SetupNode } from './contracts';

/**
 * The `-e @extra_vars.yml` file (elasticluster-notes §5.2): everything under one top-level key
 * `elasticluster`, with `nodes` (each node's variables) and `output_dir` (the run's working dir,
 * where ElastiCluster's playbooks drop their `<node>.log` markers). Keys are sorted like PyYAML.
 * The tree holds key *paths* only, never key material.
 */
export function buildExtraVarsYaml(options: {
  clusterVars: Readonly<Record<string, unknown>>;
  nodes: readonly SetupNode[];
  outputDir: string;
}): string {
  const nodes: Record<string, unknown> = {};
  for (const node of options.nodes) nodes[node.name] = node.vars;
  const tree = {
    elasticluster: {
      nodes,
      ...options.clusterVars,
      output_dir: options.outputDir,
    },
  };
  return stringify(tree, { sortMapEntries: true });
}
