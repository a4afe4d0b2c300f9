import { Ec2Error } from '../api/ec2-error';
import type { ActionContext } from './action-context';

// How many more instances the account quota and a zone's capacity allow. Only instances that
// hold a host count (pending, running, stopping): a stopped instance frees its capacity and
// quota, which is why StartInstances can fail for capacity as RunInstances can.

export function quotaLeft(context: ActionContext): number {
  return context.faults.quotaLeft(context.state.occupyingInstances().length);
}

/** Spot instances draw on a pool of their own: each market's rules count that market's instances. */
export function capacityLeft(context: ActionContext, instanceType: string, zone: string, market: 'spot' | 'on-demand' = 'on-demand'): number {
  const occupying = context.state.occupyingInstances();
  const ofType = (ruleZone?: string) =>
    occupying.filter(
      (instance) =>
        instance.instanceType === instanceType &&
        (instance.spot !== undefined) === (market === 'spot') &&
        (!ruleZone || instance.availabilityZone === ruleZone),
    ).length;
  return context.faults.capacityLeft(instanceType, zone, ofType, market);
}

export function instanceLimitExceeded(left: number, requested: number): Ec2Error {
  return new Ec2Error(
    'InstanceLimitExceeded',
    `Your quota allows for ${left} more running instance(s). You requested at least ${requested}.`,
  );
}

export function insufficientCapacity(instanceType: string, zone: string, left: number, market: 'spot' | 'on-demand' = 'on-demand'): Ec2Error {
  if (market === 'spot') {
    return new Ec2Error(
      'InsufficientInstanceCapacity',
      `There is no Spot capacity available that matches your request (${instanceType} in ${zone}). You can currently get ${left} ${instanceType} Spot instance(s).`,
    );
  }
  return new Ec2Error(
    'InsufficientInstanceCapacity',
    `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${zone}). Our system will be working on provisioning additional capacity. You can currently get ${left} ${instanceType} instance(s).`,
  );
}
