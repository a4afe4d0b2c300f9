import type { ClusterTemplate } from '@elastiq/config';
import { type CloudSettings, Cluster, type ClusterDict, ConfigurationError, type NodeSpec } from '@elastiq/core';

export interface ClusterRequest {
  name: string;
  /** kind → count, replacing the template's count (`--nodes N:KIND`). */
  counts: ReadonlyMap<string, number>;
  /** The configuration file the template came from (the worker reads credentials from it). */
  configFile: string;
}

/**
 * The record a new start begins from, built fresh from the *current* template every time
 * (ElastiCluster reused a stale stored cluster, defect 1). Key *paths* only, never key material.
 */
export function clusterFromTemplate(template: ClusterTemplate, request: ClusterRequest): { cluster: ClusterDict; cloud: CloudSettings } {
  const cloud = cloudSettingsOf(template, request.configFile);
  const cluster = new Cluster({
    name: request.name,
    template: template.name,
    availabilityZone: template.availabilityZone,
    startTimeout: template.startTimeout,
    sshProbeTimeout: template.sshProbeTimeout,
    sshProxyCommand: template.sshProxyCommand,
    sshTo: template.sshTo,
    userKeyName: template.login.userKeyName,
    userKeyPublic: template.login.userKeyPublic,
    userKeyPrivate: template.login.userKeyPrivate,
    extra: { ...template.extra, elastiq_setup: setupSettingsOf(template) },
    cloud,
  });
  const minNodes: Record<string, number> = {};
  for (const kind of template.kinds) {
    const count = request.counts.get(kind.kind) ?? kind.count;
    // A --nodes count below the template's min_nodes lowers the minimum with it.
    minNodes[kind.kind] = Math.min(kind.min, count);
    cluster.addNodes(kind.kind, count, nodeSpecOfKind(template, kind.kind) as NodeSpec);
  }
  cluster.minNodes = minNodes;
  return { cluster: cluster.toDict(), cloud };
}

/** What a node of `kind` is launched from, as the template says (undefined: the template has no such kind). */
export function nodeSpecOfKind(template: ClusterTemplate, kindName: string): NodeSpec | undefined {
  const kind = template.kinds.find((candidate) => candidate.kind === kindName);
  if (kind === undefined) return undefined;
  return {
    imageId: kind.imageId,
    imageUser: kind.imageUser,
    imageUserdata: kind.imageUserdata,
    flavor: kind.flavor,
    securityGroup: kind.securityGroup,
    extra: {
      ...kind.extra,
      network_ids: kind.networkIds,
      // Only when set, so that a plain ElastiCluster kind gives the same record as before (issue 11).
      ...(kind.flavorAlternatives.length > 0 ? { flavor_alternatives: kind.flavorAlternatives } : {}),
      ...(kind.availabilityZones.length > 0 ? { availability_zones: kind.availabilityZones } : {}),
      // The cloud's `price`/`timeout` are the defaults of a kind that sets none (0: on demand).
      ...(kind.extra.price === undefined && template.cloud.price > 0 ? { price: template.cloud.price } : {}),
      ...(kind.extra.timeout === undefined && template.cloud.timeout > 0 ? { timeout: template.cloud.timeout } : {}),
      // The setup step reads a node's Ansible groups from here (see apps/worker cluster-setup).
      groups: template.setup.groups[kind.kind] ?? [kind.kind],
    },
  };
}

/** Where the worker finds the cloud: endpoint and region, and *where* the credentials are. */
function cloudSettingsOf(template: ClusterTemplate, configFile: string): CloudSettings {
  const { cloud } = template;
  if (cloud.provider !== 'ec2_boto') {
    throw new ConfigurationError(`cloud provider \`${cloud.provider}\` is not supported by elastiq's fleet`, {
      section: `cloud/${cloud.name}`,
      key: 'provider',
      hint: 'elastiq starts clusters on EC2-compatible clouds: use provider=ec2_boto',
    });
  }
  const region = cloud.ec2Region ?? 'us-east-1';
  return {
    provider: 'ec2',
    ec2Url: cloud.ec2Url ?? `https://ec2.${region}.amazonaws.com`,
    ec2Region: region,
    credentialSource: credentialSourceOf(template, configFile),
    vpc: cloud.vpc ?? null,
  };
}

function credentialSourceOf(template: ClusterTemplate, configFile: string): string {
  if (template.cloud.raw.ec2_access_key !== undefined) return `config:${configFile}#${template.cloud.name}`;
  if (template.cloud.ec2AccessKey !== undefined) return 'env';
  return 'aws-chain';
}

/** What the setup step needs besides the nodes: provider and playbook or scripts (no secrets). */
function setupSettingsOf(template: ClusterTemplate): Record<string, unknown> {
  const { setup } = template;
  return {
    name: setup.name,
    provider: setup.provider,
    playbook_path: setup.playbookPath ?? null,
    ansible_command: setup.ansibleCommand ?? null,
    ansible_extra_args: setup.ansibleExtraArgs ?? null,
    ansible_options: setup.ansibleOptions,
    script_path: setup.scriptPath ?? null,
    kind_script_paths: setup.kindScriptPaths,
    vars: setup.vars,
  };
}
