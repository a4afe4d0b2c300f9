import { SectionDrop } from './diagnostics';
import type { ResolvedSection } from './resolved-section';
import type { CloudTemplate, KindTemplate, SetupTemplate } from './template-schema';

/** The checks that need the cluster and its cloud and setup together (notes §1.11): they drop the cluster. */
export function crossValidate(
  cluster: ResolvedSection,
  kinds: KindTemplate[],
  cloud: CloudTemplate,
  setup: Omit<SetupTemplate, 'vars'>,
  setupSection: ResolvedSection,
): void {
  for (const { kind } of kinds) {
    if (setup.provider === 'ansible' && !setupSection.has(`${kind}_groups`)) {
      throw new SectionDrop(
        cluster.locate(`${kind}_nodes`),
        `defines kind '${kind}', but setup section [setup/${setup.name}] has no ${kind}_groups key: add ${kind}_groups=<ansible groups>`,
      );
    }
    if (setup.provider === 'script' && setup.kindScriptPaths[kind] === undefined && setup.scriptPath === undefined) {
      throw new SectionDrop(
        cluster.locate(`${kind}_nodes`),
        `defines kind '${kind}', but script setup [setup/${setup.name}] has neither script_path nor ${kind}_script_path`,
      );
    }
  }
  const sshTo = cluster.value('ssh_to');
  if (sshTo !== undefined) {
    const target = /^(.*?[A-Za-z-])\d+$/.exec(sshTo)?.[1];
    const names = kinds.map((kind) => kind.kind);
    if (!names.includes(sshTo) && (target === undefined || !names.includes(target))) {
      throw new SectionDrop(cluster.locate('ssh_to'), `must name a kind of this cluster (${names.join(', ')}) or one of its nodes, got '${sshTo}'`);
    }
  }
  if (cloud.provider === 'ec2_boto') {
    for (const kind of kinds) {
      if (cloud.vpc !== undefined && kind.networkIds.length === 0) {
        throw new SectionDrop(cluster.locate('network_ids'), `is required for kind '${kind.kind}' because cloud [cloud/${cloud.name}] sets vpc: give the subnet IDs`);
      }
      if (cloud.vpc === undefined && kind.networkIds.length > 0) {
        throw new SectionDrop(cluster.locate('network_ids'), `is set for kind '${kind.kind}', but cloud [cloud/${cloud.name}] has no vpc: set vpc= there or remove network_ids`);
      }
    }
  }
}
