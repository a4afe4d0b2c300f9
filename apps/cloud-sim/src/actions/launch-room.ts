import { Ec2Error } from '../api/ec2-error';
import type { ActionContext } from './action-context';

// How many more instances the account quota and a zone's capacity allow. Only instances that
// hold a host count (pending, running, stopping): a stopped instance frees its capacity and
// quota, which is why StartInstances can fail for capacity as RunInstances can.

export function quotaLeft(context: ActionContext): number {
  return context.faults.quotaLeft(context.state.occupyingInstances().length);
}

export function capacityLeft(context: ActionContext, instanceType: string, zone: string): number {
  const occupying = context.state.occupyingInstances();
  const ofType = (ruleZone?: string) =>
    occupying.filter(
      (instance) => instance.instanceType === instanceType && (!ruleZone || instance.availabilityZone === ruleZone),
    ).length;
  return context.faults.capacityLeft(instanceType, zone, ofType);
}

export function instanceLimitExceeded(left: number, requested: number): Ec2Error {
  return new Ec2Error(
    'InstanceLimitExceeded',
    `Your quota allows for ${left} more running instance(s). You requested at least ${requested}.`,
  );
}

export function insufficientCapacity(instanceType: string, zone: string, left: number): Ec2Error {
  return new Ec2Error(
    'InsufficientInstanceCapacity',
    `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${zone}). Our system will be working on provisioning additional capacity. You can currently get ${left} ${instanceType} instance(s).`,
  );
}
