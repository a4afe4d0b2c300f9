import {
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type Filter,
  paginateDescribeInstances,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { CloudError } from '@elastiq/core';
import { cloudInstanceFrom } from './ec2-instance-schema';
import { type CloudLogger, type Ec2CloudProviderOptions, parseProviderOptions } from './ec2-provider-options';
import { errorFromAws } from './error-from-aws';
import { ensureKeyPair } from './key-pair';
import { checkLaunchParameters } from './launch-check';
import { parseLaunchRequest } from './launch-request-schema';
import {
  type CheckLaunchRequest,
  type CloudInstance,
  type CloudProvider,
  type LaunchRequest,
  TAG_CLUSTER,
  TAG_GENERATION,
} from './provider';

// EC2 limits per call: DescribeInstances pages, TerminateInstances ids (ec2-facts.md).
const PAGE_SIZE = 1000;
const TERMINATE_CHUNK = 1000;
const TAG_CHUNK = 1000;
const STOP_START_CHUNK = 1000;

const silentLogger: CloudLogger = { debug: () => undefined, warn: () => undefined };

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function toTagList(tags: Record<string, string>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export class Ec2CloudProvider implements CloudProvider {
  readonly region: string;
  private readonly client: EC2Client;
  private readonly log: CloudLogger;
  private readonly groupIdsByName = new Map<string, Promise<string>>();

  constructor(options: Ec2CloudProviderOptions) {
    const parsed = parseProviderOptions(options);
    this.region = parsed.region;
    this.log = options.logger ?? silentLogger;
    this.client = new EC2Client({
      region: parsed.region,
      endpoint: parsed.endpoint,
      // undefined lets the SDK walk the standard chain (env, profile, instance role...).
      credentials: parsed.credentials,
      maxAttempts: parsed.maxAttempts,
      retryMode: 'standard',
      // socketTimeout ends a connection that goes quiet; requestTimeout (thrown, not only warned
      // about, as this SDK version otherwise does) bounds a whole answer that trickles in.
      requestHandler: {
        connectionTimeout: parsed.connectTimeoutMs,
        socketTimeout: parsed.requestTimeoutMs,
        requestTimeout: parsed.requestTimeoutMs * 4,
        throwOnRequestTimeout: true,
      },
    });
  }

  /** Closes the SDK's HTTP connections (keep-alive sockets would keep a process alive). */
  destroy(): void {
    this.client.destroy();
  }

  async launch(rawRequest: LaunchRequest): Promise<CloudInstance[]> {
    const request = parseLaunchRequest(rawRequest);
    const input: RunInstancesCommandInput = {
      ClientToken: request.clientToken,
      ImageId: request.imageId,
      InstanceType: request.flavor as RunInstancesCommandInput['InstanceType'],
      KeyName: request.keyName,
      MinCount: request.minCount,
      MaxCount: request.maxCount,
      SubnetId: request.subnetId,
      Placement: request.availabilityZone ? { AvailabilityZone: request.availabilityZone } : undefined,
      UserData: request.userData ? Buffer.from(request.userData, 'utf8').toString('base64') : undefined,
      TagSpecifications: [{ ResourceType: 'instance', Tags: toTagList(request.tags) }],
      // One-time spot, ended (not stopped) when the market takes it back: a node elastiq can
      // report as interrupted, never a stopped instance that silently costs its disk.
      ...(request.spot
        ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: request.spot.maxPrice, SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' } } }
        : {}),
      ...(await this.securityGroupParameter(request.securityGroup, request.subnetId)),
    };
    this.log.debug(
      { clientToken: request.clientToken, minCount: request.minCount, maxCount: request.maxCount, imageId: request.imageId },
      'RunInstances',
    );
    let instances: CloudInstance[];
    try {
      const answer = await this.client.send(new RunInstancesCommand(input));
      instances = (answer.Instances ?? []).map((instance) => cloudInstanceFrom(instance, 'RunInstances'));
    } catch (error) {
      throw errorFromAws(error, 'RunInstances');
    }
    if (instances.length < request.minCount) {
      throw new CloudError(
        'InvalidCloudResponse',
        `RunInstances returned ${instances.length} instances for MinCount ${request.minCount}`,
        { retryable: false },
      );
    }
    return instances.sort((a, b) => a.launchIndex - b.launchIndex);
  }

  async describeCluster(clusterName: string, generation?: number): Promise<CloudInstance[]> {
    const filters: Filter[] = [{ Name: `tag:${TAG_CLUSTER}`, Values: [clusterName] }];
    if (generation !== undefined) filters.push({ Name: `tag:${TAG_GENERATION}`, Values: [String(generation)] });
    return this.describe(filters);
  }

  describeTagged(key: string, value: string): Promise<CloudInstance[]> {
    return this.describe([
      { Name: `tag:${key}`, Values: [value] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
  }

  private async describe(filters: Filter[]): Promise<CloudInstance[]> {
    const instances: CloudInstance[] = [];
    const tokens = new Set<string>();
    try {
      for await (const page of paginateDescribeInstances({ client: this.client, pageSize: PAGE_SIZE }, { Filters: filters })) {
        // A NextToken seen before would page for ever: the cloud is broken, not slow.
        if (page.NextToken !== undefined && page.NextToken !== '') {
          if (tokens.has(page.NextToken)) {
            throw new CloudError('InvalidCloudResponse', 'DescribeInstances returned a NextToken it had returned before (the listing would never end)', {
              retryable: false,
              hint: 'the cloud endpoint (ec2_url) does not page like EC2',
            });
          }
          tokens.add(page.NextToken);
        }
        for (const reservation of page.Reservations ?? []) {
          for (const instance of reservation.Instances ?? []) instances.push(cloudInstanceFrom(instance, 'DescribeInstances'));
        }
      }
    } catch (error) {
      throw errorFromAws(error, 'DescribeInstances');
    }
    return instances;
  }

  async terminate(instanceIds: string[]): Promise<void> {
    for (const chunk of chunks([...new Set(instanceIds)], TERMINATE_CHUNK)) await this.terminateChunk(chunk);
  }

  async stop(instanceIds: string[]): Promise<void> {
    await this.sendInChunks(instanceIds, 'StopInstances', (InstanceIds) => new StopInstancesCommand({ InstanceIds }));
  }

  async start(instanceIds: string[]): Promise<void> {
    await this.sendInChunks(instanceIds, 'StartInstances', (InstanceIds) => new StartInstancesCommand({ InstanceIds }));
  }

  async tag(instanceIds: string[], tags: Record<string, string>): Promise<void> {
    if (Object.keys(tags).length === 0) return;
    for (const chunk of chunks([...new Set(instanceIds)], TAG_CHUNK)) {
      try {
        await this.client.send(new CreateTagsCommand({ Resources: chunk, Tags: toTagList(tags) }));
      } catch (error) {
        throw errorFromAws(error, 'CreateTags');
      }
    }
  }

  ensureKeyPair(name: string, publicKeyPath: string): Promise<void> {
    return ensureKeyPair(this.client, this.log, name, publicKeyPath);
  }

  checkLaunchParameters(request: CheckLaunchRequest): Promise<void> {
    return checkLaunchParameters(this.client, this.region, request);
  }

  /** One call per chunk of distinct ids (EC2 takes up to 1000 instance ids per call). */
  private async sendInChunks(
    instanceIds: string[],
    action: string,
    command: (ids: string[]) => StopInstancesCommand | StartInstancesCommand,
  ): Promise<void> {
    for (const chunk of chunks([...new Set(instanceIds)], STOP_START_CHUNK)) {
      try {
        await this.client.send(command(chunk));
      } catch (error) {
        throw errorFromAws(error, action);
      }
    }
  }

  /**
   * EC2 rejects the whole call when one id is unknown, naming the unknown ids. An unknown id is
   * already gone as far as elastiq is concerned, so those are dropped and the rest terminated.
   */
  private async terminateChunk(ids: string[]): Promise<void> {
    let remaining = ids;
    while (remaining.length > 0) {
      try {
        await this.client.send(new TerminateInstancesCommand({ InstanceIds: remaining }));
        return;
      } catch (error) {
        const cloudError = errorFromAws(error, 'TerminateInstances');
        if (cloudError.code !== 'InvalidInstanceID.NotFound') throw cloudError;
        const unknown = remaining.filter((id) => cloudError.message.includes(id));
        this.log.debug({ unknown: unknown.length ? unknown : remaining }, 'terminate: instances already gone');
        // If the message names none of our ids we cannot tell which is unknown: go one by one.
        if (unknown.length === 0) {
          if (remaining.length === 1) return;
          for (const id of remaining) await this.terminateChunk([id]);
          return;
        }
        remaining = remaining.filter((id) => !unknown.includes(id));
      }
    }
  }

  /**
   * Group names work only outside a VPC subnet; with a subnet EC2 wants ids. ElastiCluster accepts
   * either in security_group, so names are resolved to ids when a subnet is given.
   */
  private async securityGroupParameter(group: string, subnetId: string | undefined): Promise<Partial<RunInstancesCommandInput>> {
    if (group.startsWith('sg-')) return { SecurityGroupIds: [group] };
    if (subnetId === undefined) return { SecurityGroups: [group] };
    let id = this.groupIdsByName.get(group);
    if (!id) {
      id = this.resolveGroupId(group);
      id.catch(() => this.groupIdsByName.delete(group));
      this.groupIdsByName.set(group, id);
    }
    return { SecurityGroupIds: [await id] };
  }

  private async resolveGroupId(name: string): Promise<string> {
    let groups: { GroupId?: string }[];
    try {
      const answer = await this.client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }));
      groups = answer.SecurityGroups ?? [];
    } catch (error) {
      throw errorFromAws(error, 'DescribeSecurityGroups');
    }
    const ids = groups.map((group) => group.GroupId).filter((id): id is string => typeof id === 'string');
    if (ids.length !== 1) {
      throw new CloudError(
        'InvalidGroup.NotFound',
        ids.length === 0 ? `security group \`${name}\` does not exist` : `${ids.length} security groups are named \`${name}\`: ${ids.join(', ')}`,
        { retryable: false, hint: 'set security_group to the sg- id of the group to use' },
      );
    }
    return ids[0];
  }
}
