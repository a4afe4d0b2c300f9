import { Cluster, type ClusterDict } from '@elastiq/core';
import { setupSettingsOf } from './setup-provider-factory';

// The variables a setup run gives the playbook, shaped like ElastiCluster's (notes §5.2) so that
// existing playbooks keep working: `elasticluster.name`, the cluster settings and extra keys,
// `elasticluster.nodes.<name>`, `elasticluster.cloud`, and per host the `<kind>_var_*`s.

/**
 * The `elasticluster` tree without `output_dir` (the provider adds it). Unlike ElastiCluster, the
 * cloud part carries no access keys (it wrote them into extra_vars.yml), and elastiq's own
 * setup settings (`extra.elastiq_setup`) stay out: they are how to run the setup, not cluster data.
 */
export function setupClusterVars(record: ClusterDict): Record<string, unknown> {
  const { elastiq_setup: _setupSettings, ...extra } = record.extra;
  const vars = Cluster.fromDict({ ...record, extra }, { source: `the record of cluster \`${record.name}\`` }).toVarsDict();
  const cloud = record.cloud === null ? {} : { aws_region: record.cloud.ec2Region, aws_vpc_name: record.cloud.vpc };
  return { ...vars, cloud };
}

/**
 * Host variables of a node of `kind`. The configuration already resolved them per kind as
 * ElastiCluster does (`global_var_*` and `<kind>_var_*`, later key wins, globals only for kinds
 * with groups: packages/config kind-variables.ts), and the CLI stored that map as is.
 */
export function kindVariables(cluster: ClusterDict, kind: string): Record<string, string> {
  return { ...(setupSettingsOf(cluster)?.vars[kind] ?? {}) };
}
