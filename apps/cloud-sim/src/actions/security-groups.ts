import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { filterList, integerParam, listOf } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { itemSet } from '../api/xml-response';
import { ACCOUNT_ID, VPC_ID } from '../sim/catalog';
import { type IpPermission, newResourceId, type SimSecurityGroup } from '../sim/sim-state';
import type { ActionContext } from './action-context';
import { compileFilters, type FilterField } from './resource-filters';

// Security groups are bookkeeping only: loopback traffic is not filtered. They exist so
// launchers that create and reference them (ElastiCluster does) work unchanged.

const createParams = z.object({
  GroupName: z.string().min(1).max(255),
  GroupDescription: z.string().min(1).max(255),
  VpcId: z.string().optional(),
});

const describeParams = z.object({
  GroupName: listOf(z.string()).optional(),
  GroupId: listOf(z.string()).optional(),
  Filter: filterList.optional(),
});

const permission = z.object({
  IpProtocol: z.string(),
  FromPort: integerParam.optional(),
  ToPort: integerParam.optional(),
  IpRanges: listOf(z.object({ CidrIp: z.string() })).optional(),
  Groups: listOf(z.object({ GroupId: z.string().optional(), GroupName: z.string().optional() })).optional(),
});

// boto 2 sends a single rule as top-level IpProtocol/FromPort/ToPort/CidrIp; newer clients
// send IpPermissions.N.
const authorizeParams = z.object({
  GroupId: z.string().optional(),
  GroupName: z.string().optional(),
  IpPermissions: listOf(permission).optional(),
  IpProtocol: z.string().optional(),
  FromPort: integerParam.optional(),
  ToPort: integerParam.optional(),
  CidrIp: z.string().optional(),
  SourceSecurityGroupName: z.string().optional(),
});

const groupRefParams = z.object({ GroupId: z.string().optional(), GroupName: z.string().optional() });

function findGroup(context: ActionContext, ref: { GroupId?: string; GroupName?: string }): SimSecurityGroup {
  if (ref.GroupId === undefined && ref.GroupName === undefined) {
    throw new Ec2Error('MissingParameter', 'The request must contain the parameter GroupId or GroupName');
  }
  if (ref.GroupId !== undefined && !/^sg-[0-9a-f]+$/.test(ref.GroupId)) {
    throw new Ec2Error('InvalidGroupId.Malformed', `Invalid id: "${ref.GroupId}" (expecting "sg-...")`);
  }
  const group =
    ref.GroupId !== undefined
      ? context.state.securityGroups.get(ref.GroupId)
      : context.state.findSecurityGroupByName(ref.GroupName!);
  if (!group) {
    throw new Ec2Error('InvalidGroup.NotFound', `The security group '${ref.GroupId ?? ref.GroupName}' does not exist`);
  }
  return group;
}

export function createSecurityGroup(context: ActionContext): object {
  const params = parseActionParams(createParams, context.params);
  if (context.state.findSecurityGroupByName(params.GroupName)) {
    throw new Ec2Error('InvalidGroup.Duplicate', `The security group '${params.GroupName}' already exists`);
  }
  const group: SimSecurityGroup = {
    groupId: newResourceId('sg'),
    groupName: params.GroupName,
    description: params.GroupDescription,
    vpcId: params.VpcId ?? VPC_ID,
    ingress: [],
  };
  context.state.securityGroups.set(group.groupId, group);
  return { return: true, groupId: group.groupId };
}

function groupFilterField(name: string): FilterField<SimSecurityGroup> | undefined {
  const fields: Record<string, FilterField<SimSecurityGroup>> = {
    'group-name': (group) => group.groupName,
    'group-id': (group) => group.groupId,
    'vpc-id': (group) => group.vpcId,
    description: (group) => group.description,
  };
  return fields[name];
}

function permissionXml(rule: IpPermission) {
  return {
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    groups: itemSet(rule.sourceGroupIds.map((groupId) => ({ userId: ACCOUNT_ID, groupId }))),
    ipRanges: itemSet(rule.cidrIps.map((cidrIp) => ({ cidrIp }))),
  };
}

export function describeSecurityGroups(context: ActionContext): object {
  const params = parseActionParams(describeParams, context.params);
  const named = [
    ...(params.GroupName ?? []).map((GroupName) => findGroup(context, { GroupName })),
    ...(params.GroupId ?? []).map((GroupId) => findGroup(context, { GroupId })),
  ];
  const matches = compileFilters(params.Filter ?? [], groupFilterField);
  const candidates = named.length > 0 ? named : [...context.state.securityGroups.values()];
  return {
    securityGroupInfo: itemSet(
      candidates.filter(matches).map((group) => ({
        ownerId: ACCOUNT_ID,
        groupId: group.groupId,
        groupName: group.groupName,
        groupDescription: group.description,
        vpcId: group.vpcId,
        ipPermissions: itemSet(group.ingress.map(permissionXml)),
        ipPermissionsEgress: itemSet([permissionXml({ ipProtocol: '-1', cidrIps: ['0.0.0.0/0'], sourceGroupIds: [] })]),
      })),
    ),
  };
}

export function authorizeSecurityGroupIngress(context: ActionContext): object {
  const params = parseActionParams(authorizeParams, context.params);
  const group = findGroup(context, params);
  const legacy =
    params.IpProtocol === undefined
      ? []
      : [
          {
            ipProtocol: params.IpProtocol,
            fromPort: params.FromPort,
            toPort: params.ToPort,
            cidrIps: params.CidrIp ? [params.CidrIp] : [],
            sourceGroupIds: params.SourceSecurityGroupName
              ? [findGroup(context, { GroupName: params.SourceSecurityGroupName }).groupId]
              : [],
          },
        ];
  const rules: IpPermission[] = [
    ...legacy,
    ...(params.IpPermissions ?? []).map((rule) => ({
      ipProtocol: rule.IpProtocol,
      fromPort: rule.FromPort,
      toPort: rule.ToPort,
      cidrIps: (rule.IpRanges ?? []).map((range) => range.CidrIp),
      sourceGroupIds: (rule.Groups ?? []).map((source) => findGroup(context, source).groupId),
    })),
  ];
  if (rules.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter IpPermissions');
  const key = (rule: IpPermission) => JSON.stringify([rule.ipProtocol, rule.fromPort, rule.toPort, rule.cidrIps, rule.sourceGroupIds]);
  const existing = new Set(group.ingress.map(key));
  const duplicate = rules.find((rule) => existing.has(key(rule)));
  if (duplicate) {
    throw new Ec2Error(
      'InvalidPermission.Duplicate',
      `the specified rule "peer: ${duplicate.cidrIps.join(',') || duplicate.sourceGroupIds.join(',')}, ${duplicate.ipProtocol.toUpperCase()}, from port: ${duplicate.fromPort}, to port: ${duplicate.toPort}, ALLOW" already exists`,
    );
  }
  group.ingress.push(...rules);
  return { return: true };
}

export function deleteSecurityGroup(context: ActionContext): object {
  const params = parseActionParams(groupRefParams, context.params);
  const group = findGroup(context, params);
  if (group.groupName === 'default') {
    throw new Ec2Error('CannotDelete', `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`);
  }
  const user = context.state
    .liveInstances()
    .find((instance) => instance.securityGroups.some((member) => member.groupId === group.groupId));
  if (user) {
    throw new Ec2Error('DependencyViolation', `resource ${group.groupId} has a dependent object (instance ${user.instanceId})`);
  }
  context.state.securityGroups.delete(group.groupId);
  return { return: true };
}
