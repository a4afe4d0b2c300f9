import type { ParamTree } from '../api/query-params';
import type { RateLimiter } from '../api/rate-limits';
import type { AddressPool } from '../sim/address-pool';
import type { SimImage } from '../sim/catalog';
import type { Faults } from '../sim/faults';
import type { InstanceLifecycle } from '../sim/instance-lifecycle';
import type { SimState } from '../sim/sim-state';

/** What an EC2 action handler may read and change. */
export interface ActionContext {
  params: Record<string, ParamTree>;
  accessKeyId: string;
  region: string;
  state: SimState;
  lifecycle: InstanceLifecycle;
  faults: Faults;
  rateLimiter: RateLimiter;
  addresses: AddressPool;
  images: ReadonlyMap<string, SimImage>;
}

/** Returns the response body (everything inside `<{Action}Response>` after `requestId`). */
export type ActionHandler = (context: ActionContext) => object;
