import { z } from 'zod';
import { Ec2Error } from '../api/ec2-error';
import { filterList, integerParam, listOf } from '../api/param-schemas';
import { parseActionParams } from '../api/query-params';
import { itemSet } from '../api/xml-response';
import { type SimInstance, type SimReservation, STATE_CODES } from '../sim/sim-state';
import type { ActionContext } from './action-context';
import { findInstances } from './instance-ids';
import { reservationXml } from './instance-xml';
import { compileFilters, type FilterField } from './resource-filters';

const describeInstancesParams = z.object({
  InstanceId: listOf(z.string()).optional(),
  Filter: filterList.optional(),
  MaxResults: integerParam.optional(),
  NextToken: z.string().optional(),
});

function instanceFilterField(name: string): FilterField<SimInstance> | undefined {
  if (name.startsWith('tag:')) {
    const key = name.slice('tag:'.length);
    return (instance) => instance.tags.get(key);
  }
  const fields: Record<string, FilterField<SimInstance>> = {
    'tag-key': (instance) => [...instance.tags.keys()],
    'tag-value': (instance) => [...instance.tags.values()],
    'instance-state-name': (instance) => instance.state,
    'instance-state-code': (instance) => String(STATE_CODES[instance.state]),
    'instance-id': (instance) => instance.instanceId,
    'key-name': (instance) => instance.keyName,
    'instance-type': (instance) => instance.instanceType,
    'image-id': (instance) => instance.imageId,
    'availability-zone': (instance) => instance.availabilityZone,
    'reservation-id': (instance) => instance.reservationId,
    'client-token': (instance) => instance.clientToken,
    'private-ip-address': (instance) => instance.address,
    'ip-address': (instance) => (instance.state === 'running' ? instance.address : undefined),
  };
  return fields[name];
}

// The page cursor is the launch sequence of the last instance returned: stable while instances
// are launched or forgotten between pages, and opaque to clients.
function encodeNextToken(afterSequence: number): string {
  return Buffer.from(JSON.stringify({ after: afterSequence })).toString('base64url');
}

function decodeNextToken(token: string): number {
  try {
    const after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).after;
    if (Number.isInteger(after)) return after;
  } catch {
    // falls through to the error below
  }
  throw new Ec2Error('InvalidParameterValue', `Invalid value '${token}' for NextToken: not a token this service issued`);
}

/** Whether this call is the paginated kind (it draws from the larger request bucket). */
export function isPaginatedDescribe(params: Record<string, unknown>): boolean {
  return params.MaxResults !== undefined;
}

export function describeInstances(context: ActionContext): object {
  const params = parseActionParams(describeInstancesParams, context.params);
  const ids = params.InstanceId ?? [];
  if (ids.length > 0 && params.MaxResults !== undefined) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  if (params.MaxResults !== undefined && (params.MaxResults < 5 || params.MaxResults > 1000)) {
    throw new Ec2Error(
      'InvalidParameterValue',
      `Value ( ${params.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  }
  const matches = compileFilters(params.Filter ?? [], instanceFilterField);
  const after = params.NextToken === undefined ? 0 : decodeNextToken(params.NextToken);
  const candidates =
    ids.length > 0 ? findInstances(context.state, ids) : [...context.state.instances.values()];
  const selected = candidates
    .filter((instance) => instance.sequence > after && matches(instance))
    .sort((a, b) => a.sequence - b.sequence);
  const limit = params.MaxResults ?? selected.length;
  const page = selected.slice(0, limit);
  const more = selected.length > page.length;
  return {
    reservationSet: itemSet(groupByReservation(context, page)),
    nextToken: more ? encodeNextToken(page[page.length - 1].sequence) : undefined,
  };
}

function groupByReservation(context: ActionContext, instances: readonly SimInstance[]) {
  const groups = new Map<string, SimInstance[]>();
  for (const instance of instances) {
    const group = groups.get(instance.reservationId) ?? [];
    group.push(instance);
    groups.set(instance.reservationId, group);
  }
  return [...groups].map(([reservationId, members]) => {
    const reservation: SimReservation = context.state.reservations.get(reservationId) ?? {
      reservationId,
      instanceIds: [],
      groups: [],
    };
    return reservationXml(reservation, members);
  });
}
