import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { listOf } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { itemSet } from '../api/xml-response';
import type { InstanceStateName, SimInstance } from '../sim/sim-state';
import type { ActionContext } from './action-context';
import { findInstances } from './instance-ids';
import { stateXml } from './instance-xml';

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

export function stopInstances(context: ActionContext): object {
  return changeStates('StopInstances', context, ['running', 'stopping', 'stopped'], 'stopped', (ctx, instance) => {
    if (instance.state === 'running') ctx.lifecycle.stop(instance, `User initiated (${new Date().toISOString()})`);
  });
}

/** A started instance keeps its id, address and host key; it boots again through pending. */
export function startInstances(context: ActionContext): object {
  return changeStates('StartInstances', context, ['pending', 'running', 'stopped'], 'started', (ctx, instance) => {
    if (instance.state !== 'stopped') return;
    instance.state = 'pending';
    instance.stateTransitionReason = '';
    ctx.lifecycle.boot(instance);
  });
}
