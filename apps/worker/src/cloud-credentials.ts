import type { CloudSettings } from '@elastiq/core';
import { ConfigurationError } from '@elastiq/core';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Resolves a record's credential *source* on the worker, so keys never travel through Redis:
 * `env` (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the worker), `aws-chain` (the SDK's own
 * chain: profiles, instance roles) → undefined. `config:<path>#<cloud>` needs the configuration
 * loader and is resolved by the caller-supplied function.
 */
export function resolveCredentials(
  settings: CloudSettings,
  env: Record<string, string | undefined>,
  fromConfig: (path: string, cloudSection: string) => AwsCredentials | undefined = () => undefined,
): AwsCredentials | undefined {
  const source = settings.credentialSource;
  if (source === 'aws-chain') return undefined;
  if (source === 'env') {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new ConfigurationError('credential source `env` but AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not set for the worker', {
        hint: 'export both variables in the environment of elastiq-worker',
      });
    }
    return { accessKeyId, secretAccessKey };
  }
  const match = /^config:(.+)#(.+)$/.exec(source);
  if (match) return fromConfig(match[1], match[2]);
  throw new ConfigurationError(`unknown credential source \`${source}\``, { hint: 'use env, aws-chain or config:<path>#<cloud section>' });
}
