// The contract between the fleet and a cloud. One real implementation (EC2, ec2-provider.ts);
// cloud-sim is a *server* speaking the EC2 API, so the EC2 provider is what tests exercise.

/** Tags elastiq puts on every instance at launch (TagSpecification), so nothing is ever untagged. */
export const TAG_CLUSTER = 'elastiq:cluster';
export const TAG_GENERATION = 'elastiq:generation';
export const TAG_KIND = 'elastiq:kind';
export const TAG_BATCH = 'elastiq:batch';
/** Which elastiq installation (Redis + queue prefix) launched the instance: what gc sweeps by. */
export const TAG_INSTALLATION = 'elastiq:installation';
/** Per-node tags follow the launch with one CreateTags call per node (EC2 tags are per call). */
export const TAG_NODE = 'elastiq:node';

export interface LaunchRequest {
  /** ≤ 64 ASCII chars, deterministic for (cluster, generation, batch): a retry returns the original reservation. */
  clientToken: string;
  imageId: string;
  flavor: string;
  keyName: string;
  securityGroup: string;
  /** Subnet ids (network_ids). */
  subnetId?: string;
  availabilityZone?: string;
  userData?: string;
  /** A one-time spot launch (InstanceMarketOptions, terminate on interruption) at most at this price, USD/hour. */
  spot?: { maxPrice: string };
  /** MinCount. */
  minCount: number;
  /** MaxCount: the number of nodes in the batch. */
  maxCount: number;
  /** Applied at launch to every instance of the call. */
  tags: Record<string, string>;
}

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export interface CloudInstance {
  instanceId: string;
  state: InstanceState;
  /** AmiLaunchIndex: maps the instances of one RunInstances call back to the batch members. */
  launchIndex: number;
  privateIp: string | null;
  publicIp: string | null;
  tags: Record<string, string>;
  clientToken: string | null;
  launchTime: string | null;
  /** InstanceLifecycle: `spot` for a spot instance, else on demand. */
  market: 'spot' | 'on-demand';
  /** StateReason.Code of a stopped or ended instance, e.g. `Server.SpotInstanceTermination`. */
  stateReason: string | null;
}

export interface CheckLaunchRequest {
  imageIds: string[];
  flavors: string[];
  securityGroups: string[];
  keyName: string;
}

export interface CloudProvider {
  /** RunInstances (MinCount/MaxCount, ClientToken, tags at launch). Throws CloudError. */
  launch(request: LaunchRequest): Promise<CloudInstance[]>;
  /** Tag-filtered, paginated DescribeInstances: every instance of a cluster (optionally one generation). */
  describeCluster(clusterName: string, generation?: number): Promise<CloudInstance[]>;
  /** Paginated DescribeInstances of every instance carrying tag `key`=`value` that is not terminated or shutting down. */
  describeTagged(key: string, value: string): Promise<CloudInstance[]>;
  /** TerminateInstances in chunks; terminating an already terminated or unknown id is not an error. */
  terminate(instanceIds: string[]): Promise<void>;
  /** StopInstances in chunks (`elastiq pause`); stopping a stopped instance is not an error. */
  stop(instanceIds: string[]): Promise<void>;
  /** StartInstances in chunks (`elastiq resume`); starting a running instance is not an error. */
  start(instanceIds: string[]): Promise<void>;
  /** CreateTags: one set of tags on many resources. */
  tag(instanceIds: string[], tags: Record<string, string>): Promise<void>;
  /** Imports the public key under `name` when missing; refuses a different key already registered there. */
  ensureKeyPair(name: string, publicKeyPath: string): Promise<void>;
  /** Fail fast before launching anything: image, flavor, security group and key pair exist. */
  checkLaunchParameters(request: CheckLaunchRequest): Promise<void>;
}
