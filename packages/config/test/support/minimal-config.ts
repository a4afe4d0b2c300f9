// A valid configuration (notes §1.13) whose sections tests extend line by line.

export interface ConfigParts {
  cloud?: string;
  login?: string;
  setup?: string;
  cluster?: string;
  /** Raw text appended after the four sections (more sections). */
  tail?: string;
  /** Raw text put before everything (e.g. a [DEFAULT] section). */
  head?: string;
}

export function minimalConfig(parts: ConfigParts = {}): string {
  return [
    parts.head ?? '',
    '[cloud/aws]',
    'provider=ec2_boto',
    'ec2_url=https://ec2.us-east-1.amazonaws.com',
    'ec2_region=us-east-1',
    parts.cloud ?? '',
    '[login/ubuntu]',
    'image_user=ubuntu',
    'user_key_name=elasticluster',
    'user_key_private=~/.ssh/id_rsa',
    'user_key_public=~/.ssh/id_rsa.pub',
    parts.login ?? '',
    '[setup/slurm]',
    'frontend_groups=slurm_master',
    'compute_groups=slurm_worker',
    parts.setup ?? '',
    '[cluster/slurm]',
    'cloud=aws',
    'login=ubuntu',
    'setup=slurm',
    'image_id=ami-123',
    'flavor=t3.large',
    'frontend_nodes=1',
    'compute_nodes=4',
    parts.cluster ?? '',
    parts.tail ?? '',
  ].join('\n');
}
