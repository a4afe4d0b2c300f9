// Cloud keys from the environment, for clusters whose credential source is `env`. Kept apart
// from RuntimeSettings on purpose: settings get logged and shown, these never may.

export interface EnvironmentCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or ElastiCluster's EC2_ACCESS_KEY/EC2_SECRET_KEY); null unless both are set. */
export function loadEnvironmentCredentials(env: Record<string, string | undefined> = process.env): EnvironmentCredentials | null {
  const accessKeyId = env.AWS_ACCESS_KEY_ID || env.EC2_ACCESS_KEY;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || env.EC2_SECRET_KEY;
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null;
}
