import type { CloudSettings } from '@elastiq/core';
import { ConfigurationError } from '@elastiq/core';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Reads the keys of `[cloud/<name>]` from a configuration file on the worker's machine. */
export type ConfigCredentialsReader = (configPath: string, cloudName: string) => Promise<AwsCredentials | undefined>;

/**
 * Resolves a record's credential *source* on the worker, so keys never travel through Redis:
 * `env` (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the worker), `aws-chain` (the SDK's own
 * chain: profiles, instance roles) → undefined, `config:<path>#<cloud>` (the worker reads the
 * same configuration file the CLI used).
 */
export async function resolveCredentials(
  settings: CloudSettings,
  environmentCredentials: AwsCredentials | null,
  fromConfig?: ConfigCredentialsReader,
): Promise<AwsCredentials | undefined> {
  const source = settings.credentialSource;
  if (source === 'aws-chain') return undefined;
  if (source === 'env') {
    if (environmentCredentials === null) {
      throw new ConfigurationError('credential source `env` but AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not set for the worker', {
        hint: 'export both variables in the environment of elastiq-worker',
      });
    }
    return environmentCredentials;
  }
  const match = /^config:(.+)#(.+)$/.exec(source);
  if (match && fromConfig) {
    const credentials = await fromConfig(match[1], match[2]);
    if (credentials === undefined) {
      throw new ConfigurationError(`[cloud/${match[2]}] in ${match[1]} has no ec2_access_key/ec2_secret_key on this worker`, {
        hint: 'the worker reads the same configuration file as the CLI: make it available at that path',
      });
    }
    return credentials;
  }
  throw new ConfigurationError(`unknown credential source \`${source}\``, { hint: 'use env, aws-chain or config:<path>#<cloud section>' });
}
