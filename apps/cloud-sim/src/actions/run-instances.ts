import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { integerParam, listOf, tagList } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { availabilityZonesOf, DEFAULT_INSTANCE_TYPE, INSTANCE_TYPES } from '../sim/catalog';
import { newResourceId, type SimInstance, type SimReservation, type SimSecurityGroup } from '../sim/sim-state';
import type { ActionContext } from './action-context';
import { reservationXml } from './instance-xml';
import { capacityLeft, instanceLimitExceeded, insufficientCapacity, quotaLeft } from './launch-room';
import { assertUserTagKeys } from './tag-rules';

const runInstancesParams = z.object({
  ImageId: z.string().min(1),
  InstanceType: z.string().optional(),
  MinCount: integerParam.pipe(z.number().min(1, 'must be at least 1')),
  MaxCount: integerParam.pipe(z.number().min(1, 'must be at least 1')),
  KeyName: z.string().optional(),
  SecurityGroup: listOf(z.string()).optional(),
  SecurityGroupId: listOf(z.string()).optional(),
  SubnetId: z.string().optional(),
  UserData: z.string().optional(),
  Placement: z.object({ AvailabilityZone: z.string().optional() }).optional(),
  InstanceMarketOptions: z
    .object({
      MarketType: z.enum(['spot', 'capacity-block'], { message: "must be 'spot'" }),
      SpotOptions: z
        .object({
          MaxPrice: z.string().regex(/^\d+(\.\d+)?$/, 'must be a price such as 0.05').optional(),
          SpotInstanceType: z.enum(['one-time', 'persistent']).optional(),
          InstanceInterruptionBehavior: z.enum(['hibernate', 'stop', 'terminate']).optional(),
        })
        .optional(),
    })
    .optional(),
  ClientToken: z.string().max(64, 'must be at most 64 characters').regex(/^[\x20-\x7e]*$/, 'must be ASCII').optional(),
  TagSpecification: listOf(z.object({ ResourceType: z.string(), Tag: tagList.optional() })).optional(),
});

type RunInstancesParams = z.infer<typeof runInstancesParams>;

/** Canonical text of the parameters that make two calls "the same" for ClientToken purposes. */
function parametersFingerprint(params: RunInstancesParams): string {
  const { ClientToken: _token, ...rest } = params;
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([key, inner]) => [key, sortKeys(inner)]),
          )
        : value;
  return JSON.stringify(sortKeys(rest));
}

export function runInstances(context: ActionContext): object {
  const params = parseActionParams(runInstancesParams, context.params);
  const { state } = context;
  if (params.MaxCount < params.MinCount) {
    throw new Ec2Error('InvalidParameterValue', `MaxCount (${params.MaxCount}) must be at least MinCount (${params.MinCount})`);
  }

  // Idempotency comes before every other check: a repeated call returns the original
  // reservation even if capacity, quota or the key pair changed since.
  const fingerprint = parametersFingerprint(params);
  if (params.ClientToken) {
    const previous = state.clientTokens.get(params.ClientToken);
    if (previous && previous.parametersFingerprint !== fingerprint) {
      throw new Ec2Error(
        'IdempotentParameterMismatch',
        `Arguments on this idempotent request are inconsistent with arguments used in previous request(s) (ClientToken '${params.ClientToken}').`,
      );
    }
    if (previous) return respond(context, state.reservations.get(previous.reservationId)!);
  }

  const image = resolveImage(context, params.ImageId);
  const instanceType = params.InstanceType ?? DEFAULT_INSTANCE_TYPE;
  if (!INSTANCE_TYPES.some((type) => type.instanceType === instanceType)) {
    throw new Ec2Error('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
  }
  const keyPair = params.KeyName === undefined ? undefined : state.keyPairs.get(params.KeyName);
  if (params.KeyName !== undefined && !keyPair) {
    throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${params.KeyName}' does not exist`);
  }
  const groups = resolveSecurityGroups(context, params);
  const tags = launchTags(params);
  const userData = decodeUserData(params.UserData);
  const zones = availabilityZonesOf(context.region);
  // A subnet lies in one zone: cloud-sim's subnets are subnet-sim<zone letter>, as the instances it launches say.
  const requestedZone = params.Placement?.AvailabilityZone ?? zoneOfSubnet(params.SubnetId, context.region);
  if (requestedZone !== undefined && !zones.includes(requestedZone)) {
    throw new Ec2Error('InvalidParameterValue', `Invalid availability zone: [${requestedZone}]`);
  }
  if (params.SubnetId !== undefined && !/^subnet-[0-9a-z]+$/.test(params.SubnetId)) {
    throw new Ec2Error('InvalidSubnetID.Malformed', `Invalid subnet ID: ${params.SubnetId}`);
  }

  const spot = spotRequest(context, params, instanceType);
  const market = spot === undefined ? 'on-demand' : 'spot';
  const quota = quotaLeft(context);
  if (quota < params.MinCount) throw instanceLimitExceeded(quota, params.MinCount);
  const zone =
    requestedZone ?? [...zones].sort((a, b) => capacityLeft(context, instanceType, b, market) - capacityLeft(context, instanceType, a, market))[0];
  const capacity = capacityLeft(context, instanceType, zone, market);
  if (capacity < params.MinCount) throw insufficientCapacity(instanceType, zone, capacity, market);
  // Like EC2: as many as possible up to MaxCount, and nothing at all below MinCount.
  const count = Math.min(params.MaxCount, quota, capacity);
  if (!context.rateLimiter.takeResourceTokens('RunInstances', count)) {
    throw new Ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
  }

  const reservation: SimReservation = { reservationId: newResourceId('r'), instanceIds: [], groups: [] };
  const now = new Date();
  for (let launchIndex = 0; launchIndex < count; launchIndex++) {
    const instance: SimInstance = {
      instanceId: newResourceId('i'),
      sequence: state.takeSequence(),
      reservationId: reservation.reservationId,
      imageId: image,
      instanceType,
      keyName: params.KeyName,
      authorizedKeys: keyPair?.publicKey,
      availabilityZone: zone,
      subnetId: params.SubnetId ?? `subnet-sim${zone.slice(-1)}`,
      securityGroups: groups.map((group) => ({ groupId: group.groupId, groupName: group.groupName })),
      launchIndex,
      clientToken: params.ClientToken,
      userData,
      tags: new Map(tags),
      state: 'pending',
      stateTransitionReason: '',
      ...(spot ? { spot: { requestId: newResourceId('sir'), maxPrice: spot.maxPrice } } : {}),
      address: context.addresses.allocate(),
      launchTime: now,
      bootCount: 0,
      faults: context.faults.drawInstanceFaults(),
      times: { launchedAt: now.getTime() },
      accessKeyId: context.accessKeyId,
    };
    state.instances.set(instance.instanceId, instance);
    reservation.instanceIds.push(instance.instanceId);
    context.lifecycle.boot(instance);
  }
  state.reservations.set(reservation.reservationId, reservation);
  if (params.ClientToken) {
    state.clientTokens.set(params.ClientToken, { parametersFingerprint: fingerprint, reservationId: reservation.reservationId });
  }
  return respond(context, reservation);
}

/**
 * A spot launch as EC2 takes it through RunInstances: one-time only, ended on interruption
 * (what cloud-sim simulates), at most MaxPrice (default: the on-demand price, i.e. any spot
 * price here); a MaxPrice below the type's spot price is refused.
 */
function spotRequest(context: ActionContext, params: RunInstancesParams, instanceType: string): { maxPrice: number } | undefined {
  const market = params.InstanceMarketOptions;
  if (market === undefined) return undefined;
  if (market.MarketType !== 'spot') throw new Ec2Error('Unsupported', `cloud-sim does not simulate MarketType '${market.MarketType}'.`);
  const options = market.SpotOptions ?? {};
  if ((options.SpotInstanceType ?? 'one-time') !== 'one-time' || (options.InstanceInterruptionBehavior ?? 'terminate') !== 'terminate') {
    throw new Ec2Error('Unsupported', 'cloud-sim simulates one-time spot instances that terminate on interruption only.');
  }
  const price = context.faults.spotPrice(instanceType);
  const maxPrice = options.MaxPrice === undefined ? Number.POSITIVE_INFINITY : Number(options.MaxPrice);
  if (maxPrice < price) {
    throw new Ec2Error(
      'SpotMaxPriceTooLow',
      `Your Spot request price of ${options.MaxPrice} is lower than the minimum required Spot request fulfillment price of ${price}.`,
    );
  }
  return { maxPrice };
}

function zoneOfSubnet(subnetId: string | undefined, region: string): string | undefined {
  const letter = /^subnet-sim([a-z])$/.exec(subnetId ?? '')?.[1];
  return letter === undefined ? undefined : `${region}${letter}`;
}

function respond(context: ActionContext, reservation: SimReservation): object {
  // Instances forgotten after termination are left out, as EC2 does once they are gone.
  const instances = reservation.instanceIds.flatMap((id) => context.state.instances.get(id) ?? []);
  return reservationXml(reservation, instances);
}

function resolveImage(context: ActionContext, imageId: string): string {
  if (!/^ami-[0-9a-z]+$/.test(imageId)) throw new Ec2Error('InvalidAMIID.Malformed', `Invalid id: "${imageId}" (expecting "ami-...")`);
  if (!context.images.has(imageId)) throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  return imageId;
}

function resolveSecurityGroups(context: ActionContext, params: RunInstancesParams): SimSecurityGroup[] {
  const byName = (params.SecurityGroup ?? []).map((name) => {
    const group = context.state.findSecurityGroupByName(name);
    if (!group) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${name}' does not exist`);
    return group;
  });
  const byId = (params.SecurityGroupId ?? []).map((id) => {
    if (!/^sg-[0-9a-f]+$/.test(id)) throw new Ec2Error('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
    const group = context.state.securityGroups.get(id);
    if (!group) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    return group;
  });
  const groups = [...byName, ...byId];
  return groups.length > 0 ? groups : [context.state.findSecurityGroupByName('default')!];
}

/** Instance tags from TagSpecification (other resource types, e.g. volumes, are accepted and ignored). */
function launchTags(params: RunInstancesParams): Map<string, string> {
  const tags = new Map<string, string>();
  for (const spec of params.TagSpecification ?? []) {
    if (spec.ResourceType !== 'instance') continue;
    const specTags = spec.Tag ?? [];
    assertUserTagKeys(specTags.map((tag) => tag.Key));
    for (const tag of specTags) tags.set(tag.Key, tag.Value ?? '');
  }
  return tags;
}

function decodeUserData(encoded: string | undefined): string | undefined {
  if (encoded === undefined || encoded === '') return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) {
    throw new Ec2Error('InvalidParameterValue', 'Invalid BASE64 encoding of user data.');
  }
  const decoded = Buffer.from(encoded, 'base64');
  if (decoded.length > 16 * 1024) {
    throw new Ec2Error('InvalidParameterValue', 'User data is limited to 16384 bytes');
  }
  return decoded.toString('utf8');
}
