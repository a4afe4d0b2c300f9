import { z } from 'zod';

// The validated result of loading a configuration: what the rest of elastiq builds on.
// Secret values (EC2 keys) live only in this in-memory object; use describeTemplate() for output.

export const CloudTemplateSchema = z.object({
  name: z.string(),
  provider: z.enum(['ec2_boto', 'google', 'openstack', 'azure', 'opennebula', 'libcloud']),
  ec2Url: z.string().optional(),
  ec2Region: z.string().optional(),
  ec2AccessKey: z.string().optional(),
  ec2SecretKey: z.string().optional(),
  vpc: z.string().optional(),
  requestFloatingIp: z.boolean(),
  /** Default spot price, USD/hour; 0 = on-demand. */
  price: z.number().nonnegative(),
  /** Default seconds to wait for a spot request; 0 = no limit. */
  timeout: z.number().int().nonnegative(),
  instanceProfile: z.string().optional(),
  raw: z.record(z.string(), z.string()),
});
export type CloudTemplate = z.infer<typeof CloudTemplateSchema>;

export const LoginTemplateSchema = z.object({
  name: z.string(),
  imageUser: z.string().min(1),
  imageSudo: z.boolean(),
  imageUserSudo: z.string().min(1),
  imageUserdata: z.string(),
  userKeyName: z.string(),
  userKeyPrivate: z.string().startsWith('/'),
  userKeyPublic: z.string().startsWith('/'),
});
export type LoginTemplate = z.infer<typeof LoginTemplateSchema>;

export const SetupTemplateSchema = z.object({
  name: z.string(),
  provider: z.enum(['ansible', 'script']),
  /** `<kind>_groups`, renamed, in order, duplicates kept. */
  groups: z.record(z.string(), z.array(z.string())),
  /** Host variables per kind (`<kind>_var_*` and `global_var_*` from setup, then cluster). */
  vars: z.record(z.string(), z.record(z.string(), z.string())),
  playbookPath: z.string().optional(),
  ansibleCommand: z.string().optional(),
  ansibleExtraArgs: z.string().optional(),
  /** Every `ansible_*` key of the section (after renames), as written. */
  ansibleOptions: z.record(z.string(), z.string()),
  /** elastiq extension (provider=script): one script for every kind. */
  scriptPath: z.string().optional(),
  /** elastiq extension (provider=script): `<kind>_script_path`, absolute. */
  kindScriptPaths: z.record(z.string(), z.string()),
  raw: z.record(z.string(), z.string()),
});
export type SetupTemplate = z.infer<typeof SetupTemplateSchema>;

export const KindTemplateSchema = z.object({
  kind: z.string(),
  count: z.number().int().nonnegative(),
  min: z.number().int().nonnegative(),
  imageId: z.string().min(1),
  flavor: z.string().min(1),
  imageUser: z.string().min(1),
  imageUserdata: z.string(),
  securityGroup: z.string(),
  networkIds: z.array(z.string()),
  /** elastiq extension: flavors to try, in order, when `flavor` has no capacity. */
  flavorAlternatives: z.array(z.string()).default([]),
  /** elastiq extension: zones to try, in order (the cluster's availability_zone otherwise). */
  availabilityZones: z.array(z.string()).default([]),
  /** Every other key of the kind (login label, price, timeout, boot_disk_*, placement_group...). */
  extra: z.record(z.string(), z.unknown()),
});
export type KindTemplate = z.infer<typeof KindTemplateSchema>;

export const ClusterTemplateSchema = z.object({
  name: z.string(),
  cloud: CloudTemplateSchema,
  login: LoginTemplateSchema,
  setup: SetupTemplateSchema,
  kinds: z.array(KindTemplateSchema),
  startTimeout: z.number().int().positive(),
  sshProbeTimeout: z.number().int().positive(),
  sshProxyCommand: z.string(),
  sshTo: z.string().nullable(),
  availabilityZone: z.string(),
  /** Every other key of `[cluster/NAME]` (ElastiCluster's `Cluster.extra`). */
  extra: z.record(z.string(), z.unknown()),
});
export type ClusterTemplate = z.infer<typeof ClusterTemplateSchema>;
