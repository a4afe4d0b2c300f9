import { z } from 'zod';
import { type Diagnostics, SectionDrop } from './diagnostics';
import type { ResolvedSection } from './resolved-section';
import { parseSectionKeys } from './section-schema';
import type { CloudTemplate } from './template-schema';
import { booleanField, integerField, nonEmptyField, priceField } from './value-schemas';

const PROVIDERS = ['ec2_boto', 'google', 'openstack', 'azure', 'opennebula', 'libcloud'] as const;

const Ec2KeysSchema = z.object({
  provider: z.string(),
  ec2_url: nonEmptyField('the EC2 endpoint URL, e.g. https://ec2.us-east-1.amazonaws.com'),
  ec2_region: nonEmptyField('the region name, e.g. us-east-1'),
  ec2_access_key: z.string().optional(),
  ec2_secret_key: z.string().optional(),
  vpc: nonEmptyField('a VPC ID or Name tag').optional(),
  request_floating_ip: booleanField().default(false),
  price: priceField().default(0),
  timeout: integerField(0, 'seconds to wait for a spot request, 0 = no limit').default(0),
  instance_profile: nonEmptyField('an IAM instance profile name').optional(),
});

// elastiq runs EC2 only; other providers' sections are kept so that templates are listed as
// ElastiCluster lists them, and their known keys are checked for typos only.
const OTHER_PROVIDER_KEYS: Record<string, readonly string[]> = {
  google: ['gce_project_id', 'gce_client_id', 'gce_client_secret', 'network', 'noauth_local_webserver', 'zone'],
  openstack: [
    'auth_url', 'cacert', 'username', 'password', 'user_domain_name', 'project_domain_name', 'project_name',
    'region_name', 'availability_zone', 'compute_api_version', 'image_api_version', 'network_api_version',
    'volume_api_version', 'identity_api_version', 'use_anti_affinity_groups', 'request_floating_ip', 'build_timeout',
  ],
  azure: [
    'subscription_id', 'tenant_id', 'client_id', 'secret', 'location', 'vm_deployment_template',
    'net_deployment_template', 'certificate', 'wait_timeout',
  ],
  opennebula: ['endpoint', 'username', 'password'],
};
const REQUIRED_KEYS: Record<string, string> = { google: 'gce_project_id', libcloud: 'driver_name' };

function otherProviderCloud(section: ResolvedSection, provider: CloudTemplate['provider'], diagnostics: Diagnostics): CloudTemplate {
  const required = REQUIRED_KEYS[provider];
  if (required && !section.value(required)?.trim()) throw new SectionDrop(section.locate(required), `is required by provider ${provider}`);
  const known = OTHER_PROVIDER_KEYS[provider];
  if (known) {
    for (const key of section.keys()) {
      if (key !== 'provider' && !known.includes(key)) {
        diagnostics.warn(section.locate(key), `is not a key of provider ${provider} and is ignored: known keys are ${known.join(', ')}`);
      }
    }
  }
  return { name: section.name, provider, requestFloatingIp: false, price: 0, timeout: 0, raw: section.record() };
}

export function parseCloudSection(section: ResolvedSection, env: Record<string, string | undefined>, diagnostics: Diagnostics): CloudTemplate {
  const provider = section.value('provider');
  if (provider === undefined) {
    throw new SectionDrop(section.locate('provider'), `is required: one of ${PROVIDERS.join(', ')} (elastiq runs ec2_boto)`);
  }
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new SectionDrop(section.locate('provider'), `must be one of ${PROVIDERS.join(', ')}, got '${provider}'`);
  }
  if (provider !== 'ec2_boto') return otherProviderCloud(section, provider as CloudTemplate['provider'], diagnostics);
  const keys = parseSectionKeys(section, Ec2KeysSchema, diagnostics, {
    booleanKeys: ['request_floating_ip'],
    unknownKeyAdvice: `an ec2_boto cloud knows ${Object.keys(Ec2KeysSchema.shape).join(', ')}`,
  });
  // ElastiCluster reads EC2_ACCESS_KEY / EC2_SECRET_KEY when the keys are absent; when neither is
  // set, elastiq leaves them undefined so the AWS SDK's own credential chain applies.
  const accessKey = keys.ec2_access_key ?? env.EC2_ACCESS_KEY;
  const secretKey = keys.ec2_secret_key ?? env.EC2_SECRET_KEY;
  return {
    name: section.name,
    provider: 'ec2_boto',
    ec2Url: keys.ec2_url,
    ec2Region: keys.ec2_region,
    ...(accessKey !== undefined && accessKey !== '' ? { ec2AccessKey: accessKey } : {}),
    ...(secretKey !== undefined && secretKey !== '' ? { ec2SecretKey: secretKey } : {}),
    ...(keys.vpc !== undefined ? { vpc: keys.vpc } : {}),
    requestFloatingIp: keys.request_floating_ip,
    price: keys.price,
    timeout: keys.timeout,
    ...(keys.instance_profile !== undefined ? { instanceProfile: keys.instance_profile } : {}),
    raw: section.record(),
  };
}
