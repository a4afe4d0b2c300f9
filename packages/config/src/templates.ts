import { configurationError } from './configuration-error';
import type { LoadedConfiguration } from './load-configuration';
import type { ClusterTemplate } from './template-schema';

export function getTemplate(config: LoadedConfiguration, name: string): ClusterTemplate {
  const template = config.templates[name];
  if (template) return template;
  const dropped = config.dropped.find((section) => section.section === `cluster/${name}`);
  const known = Object.keys(config.templates);
  const hint = dropped
    ? `: it was dropped because ${dropped.file ? `${dropped.file}: ` : ''}[cluster/${name}] ${dropped.reason}`
    : `. Valid templates: ${known.length > 0 ? known.join(', ') : 'none'}`;
  throw configurationError({}, `No cluster template named \`${name}\`${hint}`);
}

export interface TemplateDescription {
  name: string;
  cloud: string;
  login: string;
  setup: string;
  kinds: Record<
    string,
    { count: number; min: number; image_id: string; flavor: string; image_user: string; security_group: string; groups: string[] }
  >;
}

/** What `list-templates --json` prints: names and per-kind values, never credentials. */
export function describeTemplate(template: ClusterTemplate): TemplateDescription {
  const kinds: TemplateDescription['kinds'] = {};
  for (const kind of template.kinds) {
    kinds[kind.kind] = {
      count: kind.count,
      min: kind.min,
      image_id: kind.imageId,
      flavor: kind.flavor,
      image_user: kind.imageUser,
      security_group: kind.securityGroup,
      groups: template.setup.groups[kind.kind] ?? [],
    };
  }
  return { name: template.name, cloud: template.cloud.name, login: template.login.name, setup: template.setup.name, kinds };
}
