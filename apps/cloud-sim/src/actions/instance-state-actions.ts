import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { listOf } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { itemSet } from '../api/xml-response';
import type { InstanceStateName, SimInstance } from '../sim/sim-state';
import type { ActionContext } from './action-context';
import { findInstances } from './instance-ids';
import { stateXml } from './instance-xml';
import { capacityLeft, instanceLimitExceeded, insufficientCapacity, quotaLeft } from './launch-room';

// TerminateInstances, StopInstances, StartInstances: all-or-nothing over the ids given (an
// unknown or wrongly placed id fails the whole call and changes nothing), answering each
// instance's previous and current state.

const instanceIdsParams = z.object({ InstanceId: listOf(z.string()).pipe(z.array(z.string()).min(1)) });

type Transition = (context: ActionContext, instance: SimInstance) => void;

function changeStates(
  action: 'TerminateInstances' | 'StopInstances' | 'StartInstances',
  context: ActionContext,
  allowedFrom: readonly InstanceStateName[],
  verb: string,
  transition: Transition,
  precondition?: (context: ActionContext, instances: readonly SimInstance[]) => void,
): object {
  const { InstanceId } = parseActionParams(instanceIdsParams, context.params);
  const instances = findInstances(context.state, InstanceId);
  const wrong = instances.find((instance) => !allowedFrom.includes(instance.state));
  if (wrong) {
    throw new Ec2Error(
      'IncorrectInstanceState',
      `This instance '${wrong.instanceId}' is not in a state from which it can be ${verb}.`,
    );
  }
  precondition?.(context, instances);
  if (!context.rateLimiter.takeResourceTokens(action, instances.length)) {
    throw new Ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
  }
  const items = instances.map((instance) => {
    const previousState = instance.state;
    transition(context, instance);
    return { instanceId: instance.instanceId, currentState: stateXml(instance.state), previousState: stateXml(previousState) };
  });
  return { instancesSet: itemSet(items) };
}

const ALL_STATES: readonly InstanceStateName[] = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];

/** Terminating an already terminated instance succeeds again, as on EC2. */
export function terminateInstances(context: ActionContext): object {
  return changeStates('TerminateInstances', context, ALL_STATES, 'terminated', (ctx, instance) =>
    ctx.lifecycle.terminate(instance, `User initiated (${new Date().toISOString()})`),
  );
}

/** A one-time spot instance cannot be stopped (EC2: UnsupportedOperation), only terminated. */
export function stopInstances(context: ActionContext): object {
  return changeStates(
    'StopInstances',
    context,
    ['running', 'stopping', 'stopped'],
    'stopped',
    (ctx, instance) => {
      if (instance.state === 'running') ctx.lifecycle.stop(instance, `User initiated (${new Date().toISOString()})`);
    },
    (_context, instances) => {
      const spot = instances.find((instance) => instance.spot !== undefined);
      if (spot) {
        throw new Ec2Error('UnsupportedOperation', `You can't stop the Spot Instance '${spot.instanceId}' because it is associated with a one-time Spot Instance request.`);
      }
    },
  );
}

/** A started instance keeps its id and host key, and its address unless the newAddressOnStart
 *  fault is on (EC2 without an Elastic IP); it boots again through pending. Like a launch it
 *  needs quota and capacity in its zone (all or nothing). */
export function startInstances(context: ActionContext): object {
  return changeStates(
    'StartInstances',
    context,
    ['pending', 'running', 'stopped'],
    'started',
    (ctx, instance) => {
      if (instance.state !== 'stopped') return;
      instance.state = 'pending';
      instance.stateTransitionReason = '';
      if (ctx.faults.newAddressOnStart()) ctx.lifecycle.readdress(instance);
      if (ctx.faults.neverSshReadyAtStart()) instance.faults.neverSshReady = true;
      ctx.lifecycle.boot(instance);
    },
    assertRoomToStart,
  );
}

function assertRoomToStart(context: ActionContext, instances: readonly SimInstance[]): void {
  const starting = instances.filter((instance) => instance.state === 'stopped');
  const quota = quotaLeft(context);
  if (quota < starting.length) throw instanceLimitExceeded(quota, starting.length);
  const byPlacement = new Map<string, SimInstance[]>();
  for (const instance of starting) {
    const key = `${instance.instanceType} ${instance.availabilityZone}`;
    byPlacement.set(key, [...(byPlacement.get(key) ?? []), instance]);
  }
  for (const [first, ...rest] of byPlacement.values()) {
    const left = capacityLeft(context, first.instanceType, first.availabilityZone);
    if (left < rest.length + 1) throw insufficientCapacity(first.instanceType, first.availabilityZone, left);
  }
}
