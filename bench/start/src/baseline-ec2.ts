import { readFile } from 'node:fs/promises';
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ImportKeyPairCommand,
  type Instance,
  RunInstancesCommand,
  TerminateInstancesCommand,
  CreateTagsCommand,
} from '@aws-sdk/client-ec2';

// ElastiCluster's ec2_boto provider as it talks to EC2 (elasticluster-notes §4.9), re-enacted on
// the AWS SDK for the baseline: the same calls in the same order, and boto 2's retry rule.
//
// - start_instance: DescribeKeyPairs under a process-wide lock (importing the key if missing),
//   DescribeSecurityGroups, one RunInstances for one instance, then CreateTags Name=<cluster>-<node>.
// - is_instance_running: the instance comes from a cache of the last full DescribeInstances
//   (rebuilt when the id is not in it), then `instance.update()`: DescribeInstances of that id.
// - stop_instance: TerminateInstances of one id.
// - boto 2 retries HTTP 500/502/503/504 (EC2's RequestLimitExceeded is a 503) up to 6 times,
//   sleeping random() × 2^i seconds (at most 60 s); anything else is raised at once.

const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
const BOTO_NUM_RETRIES = 6;

export interface BaselineEc2Options {
  endpoint: string;
  region: string;
}

export class BotoStyleEc2 {
  private readonly client: EC2Client;
  /** boto's `_cached_instances`: id → instance from the last full listing (or update()). */
  private readonly cachedInstances = new Map<string, Instance>();
  private keypairLock: Promise<unknown> = Promise.resolve();

  constructor(options: BaselineEc2Options) {
    this.client = new EC2Client({
      endpoint: options.endpoint,
      region: options.region,
      // cloud-sim accepts any access key; these are not secrets.
      credentials: { accessKeyId: 'AKIDBASELINE', secretAccessKey: 'baseline-not-a-secret' },
      // Retries are boto 2's (below), not the SDK's.
      maxAttempts: 1,
    });
  }

  /** start_instance: returns the new instance id. */
  async startInstance(request: {
    keyName: string;
    publicKeyPath: string;
    securityGroup: string;
    imageId: string;
    flavor: string;
    tagName: string;
  }): Promise<string> {
    await this.underKeypairLock(() => this.checkKeypair(request.keyName, request.publicKeyPath));
    await this.call(() => this.client.send(new DescribeSecurityGroupsCommand({})));
    const reservation = await this.call(() =>
      this.client.send(
        new RunInstancesCommand({
          ImageId: request.imageId,
          InstanceType: request.flavor as never,
          KeyName: request.keyName,
          SecurityGroups: [request.securityGroup],
          MinCount: 1,
          MaxCount: 1,
        }),
      ),
    );
    const instanceId = reservation.Instances?.[0]?.InstanceId;
    if (instanceId === undefined) throw new Error('RunInstances returned no instance');
    await this.call(() => this.client.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: 'Name', Value: request.tagName }] })));
    return instanceId;
  }

  /** is_instance_running + update_ips: the node's addresses once it runs, else null. */
  async runningAddresses(instanceId: string): Promise<string[] | null> {
    if (!this.cachedInstances.has(instanceId)) await this.rebuildCache();
    const reply = await this.call(() => this.client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] })));
    const instance = reply.Reservations?.flatMap((reservation) => reservation.Instances ?? [])[0];
    if (instance === undefined) return null;
    this.cachedInstances.set(instanceId, instance);
    if (instance.State?.Name !== 'running') return null;
    // get_ips: private and public, through a set (the same loopback address twice on cloud-sim).
    return [...new Set([instance.PrivateIpAddress, instance.PublicIpAddress].filter((ip): ip is string => Boolean(ip)))];
  }

  async terminate(instanceId: string): Promise<void> {
    await this.call(() => this.client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] })));
  }

  destroy(): void {
    this.client.destroy();
  }

  private async checkKeypair(keyName: string, publicKeyPath: string): Promise<void> {
    const pairs = await this.call(() => this.client.send(new DescribeKeyPairsCommand({})));
    if (pairs.KeyPairs?.some((pair) => pair.KeyName === keyName)) return;
    const material = await readFile(publicKeyPath);
    await this.call(() => this.client.send(new ImportKeyPairCommand({ KeyName: keyName, PublicKeyMaterial: material })));
  }

  /** ElastiCluster holds a global lock around the key pair check (its issue #79). */
  private underKeypairLock<T>(work: () => Promise<T>): Promise<T> {
    const result = this.keypairLock.then(work);
    this.keypairLock = result.catch(() => undefined);
    return result;
  }

  private async rebuildCache(): Promise<void> {
    const reply = await this.call(() => this.client.send(new DescribeInstancesCommand({})));
    for (const instance of reply.Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? []) {
      if (instance.InstanceId) this.cachedInstances.set(instance.InstanceId, instance);
    }
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (attempt >= BOTO_NUM_RETRIES || status === undefined || !RETRIED_STATUSES.has(status)) throw error;
        const sleepSeconds = Math.min(Math.random() * 2 ** attempt, 60);
        await new Promise((resolve) => setTimeout(resolve, sleepSeconds * 1000));
      }
    }
  }
}
