import { Ec2Error } from '../api/ec2-error';
import type { SimInstance, SimState } from '../sim/sim-state';

// EC2 instance ids are `i-` and 8 or 17 lower-case hex digits; anything else is malformed
// (a different error from "well formed but unknown", which clients treat differently).

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

export function assertWellFormedInstanceIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !INSTANCE_ID.test(id));
  if (bad !== undefined) throw new Ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${bad}"`);
}

/** All the instances, in the order asked, or InvalidInstanceID.NotFound naming every missing one. */
export function findInstances(state: SimState, ids: readonly string[]): SimInstance[] {
  assertWellFormedInstanceIds(ids);
  const missing = ids.filter((id) => !state.instances.has(id));
  if (missing.length === 1) {
    throw new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  }
  if (missing.length > 1) {
    throw new Ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  return ids.map((id) => state.instances.get(id)!);
}
