import { Ec2CloudProvider } from '@elastiq/cloud';
import type { CloudProvider } from '@elastiq/cloud';
import { type ClusterDict, ConfigurationError } from '@elastiq/core';
import type { Logger } from 'pino';
import { type AwsCredentials, type ConfigCredentialsReader, resolveCredentials } from './cloud-credentials';
import { DeferredCloud } from './deferred-cloud';
import type { CloudRateLimits } from './cloud-rate-limits';
import { RateLimitedCloud } from './rate-limited-cloud';
import type { RedisTokenBucket } from './redis-token-bucket';

export interface CloudFactoryOptions {
  /** The worker's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (credential source `env`), from @elastiq/config. */
  environmentCredentials: AwsCredentials | null;
  buckets: RedisTokenBucket;
  limits: CloudRateLimits;
  log: Logger;
  fromConfig?: ConfigCredentialsReader;
  /** SDK attempts per call (its own backoff with jitter); the fleet's buckets prevent most throttling. */
  maxAttempts?: number;
}

/** What a cloud is looked up by: a cluster record, or gc's remembered cloud of an installation. */
export type CloudOwner = Pick<ClusterDict, 'name' | 'cloud'>;

/** cloudFor(cluster): a rate-limited EC2 provider per (endpoint, region, credential source), cached. */
export function createCloudFactory(options: CloudFactoryOptions): (cluster: CloudOwner) => CloudProvider {
  const cache = new Map<string, CloudProvider>();
  return (cluster) => {
    const settings = cluster.cloud;
    if (settings === null) {
      throw new ConfigurationError(`the record of cluster \`${cluster.name}\` has no cloud settings`, {
        hint: 'it was written by an older elastiq; start it again from its template',
      });
    }
    const key = JSON.stringify([settings.ec2Url, settings.ec2Region, settings.credentialSource]);
    let cloud = cache.get(key);
    if (cloud === undefined) {
      const log = options.log.child({ cloud: settings.ec2Url, region: settings.ec2Region });
      const ec2 = new DeferredCloud(async () => {
        const credentials = await resolveCredentials(settings, options.environmentCredentials, options.fromConfig);
        return new Ec2CloudProvider({
          region: settings.ec2Region,
          ...(settings.ec2Url ? { endpoint: settings.ec2Url } : {}),
          ...(credentials ? { credentials } : {}),
          maxAttempts: options.maxAttempts ?? 5,
          logger: { debug: (object, message) => log.debug(object, message), warn: (object, message) => log.warn(object, message) },
        });
      });
      cloud = new RateLimitedCloud(ec2, options.buckets, options.limits, `${settings.ec2Url}|${settings.ec2Region}`);
      cache.set(key, cloud);
    }
    return cloud;
  };
}
