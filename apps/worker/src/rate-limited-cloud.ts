import type { CheckLaunchRequest, CloudInstance, CloudProvider, LaunchRequest } from '@elastiq/cloud';
import type { CloudRateLimits } from './cloud-rate-limits';
import type { RedisTokenBucket } from './redis-token-bucket';

/**
 * A CloudProvider that takes tokens from the fleet-wide buckets before each call. Buckets are
 * per cloud endpoint and region, as EC2's are per account and region.
 */
export class RateLimitedCloud implements CloudProvider {
  constructor(
    private readonly inner: CloudProvider,
    private readonly buckets: RedisTokenBucket,
    private readonly limits: CloudRateLimits,
    /** e.g. `http://127.0.0.1:4566|us-east-1`: which account/region the buckets belong to. */
    private readonly scope: string,
  ) {}

  async launch(request: LaunchRequest): Promise<CloudInstance[]> {
    await this.buckets.take(`${this.scope}|RunInstances`, this.limits.runInstances);
    await this.buckets.take(`${this.scope}|RunInstances:instances`, this.limits.runInstancesResource, request.maxCount);
    return this.inner.launch(request);
  }

  async describeCluster(clusterName: string, generation?: number): Promise<CloudInstance[]> {
    await this.buckets.take(`${this.scope}|DescribeInstances`, this.limits.describeInstances);
    return this.inner.describeCluster(clusterName, generation);
  }

  async describeTagged(key: string, value: string): Promise<CloudInstance[]> {
    await this.buckets.take(`${this.scope}|DescribeInstances`, this.limits.describeInstances);
    return this.inner.describeTagged(key, value);
  }

  async terminate(instanceIds: string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    await this.buckets.take(`${this.scope}|TerminateInstances`, this.limits.terminateInstances);
    await this.buckets.take(`${this.scope}|TerminateInstances:instances`, this.limits.terminateInstancesResource, instanceIds.length);
    return this.inner.terminate(instanceIds);
  }

  async stop(instanceIds: string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    await this.buckets.take(`${this.scope}|StopInstances`, this.limits.stopInstances);
    await this.buckets.take(`${this.scope}|StopInstances:instances`, this.limits.stopInstancesResource, instanceIds.length);
    return this.inner.stop(instanceIds);
  }

  async start(instanceIds: string[]): Promise<void> {
    if (instanceIds.length === 0) return;
    await this.buckets.take(`${this.scope}|StartInstances`, this.limits.startInstances);
    await this.buckets.take(`${this.scope}|StartInstances:instances`, this.limits.startInstancesResource, instanceIds.length);
    return this.inner.start(instanceIds);
  }

  async tag(instanceIds: string[], tags: Record<string, string>): Promise<void> {
    await this.buckets.take(`${this.scope}|CreateTags`, this.limits.createTags);
    return this.inner.tag(instanceIds, tags);
  }

  async ensureKeyPair(name: string, publicKeyPath: string): Promise<void> {
    await this.buckets.take(`${this.scope}|mutating`, this.limits.otherMutating);
    return this.inner.ensureKeyPair(name, publicKeyPath);
  }

  async checkLaunchParameters(request: CheckLaunchRequest): Promise<void> {
    await this.buckets.take(`${this.scope}|describe-other`, this.limits.otherDescribe, 4);
    return this.inner.checkLaunchParameters(request);
  }
}
