import { z } from 'zod';
import { availabilityZonesOf } from './catalog';
import type { FaultConfig } from './faults';
import type { SimState } from './sim-state';

// /_sim/capacity: the capacity rules of the fault config seen per (type × zone), and a way to
// replace them while a fleet runs (a zone running out of a type mid-start, or getting it back).

export const capacityRulesSchema = z.strictObject({
  rules: z.array(
    z.strictObject({
      instanceType: z.string().min(1),
      /** Absent: the limit holds for the type across every zone. */
      availabilityZone: z.string().min(1).optional(),
      limit: z.number().int().min(0),
    }),
  ),
});
export type CapacityRules = z.infer<typeof capacityRulesSchema>;

export interface OfferingCapacity {
  instanceType: string;
  availabilityZone: string;
  /** The tightest rule for this type in this zone. */
  limit: number;
  /** Instances of the type holding a host in the zone (pending, running, stopping). */
  inUse: number;
  left: number;
}

/** One row per (type, zone) that a rule limits; types without a rule have no limit. */
export function capacityView(config: FaultConfig, state: SimState, region: string): { rules: CapacityRules['rules']; offerings: OfferingCapacity[] } {
  const rules = config.capacity ?? [];
  // On-demand capacity: spot instances draw on their own pool (`spotCapacity` of the faults).
  const occupying = state.occupyingInstances().filter((instance) => instance.spot === undefined);
  const offerings: OfferingCapacity[] = [];
  for (const instanceType of [...new Set(rules.map((rule) => rule.instanceType))]) {
    for (const availabilityZone of availabilityZonesOf(region)) {
      const applying = rules.filter((rule) => rule.instanceType === instanceType && (!rule.availabilityZone || rule.availabilityZone === availabilityZone));
      if (applying.length === 0) continue;
      const live = (zone?: string) => occupying.filter((instance) => instance.instanceType === instanceType && (!zone || instance.availabilityZone === zone)).length;
      const left = Math.max(0, Math.min(...applying.map((rule) => rule.limit - live(rule.availabilityZone))));
      const tightest = applying.reduce((a, b) => (a.limit - live(a.availabilityZone) <= b.limit - live(b.availabilityZone) ? a : b));
      offerings.push({ instanceType, availabilityZone, limit: tightest.limit, inUse: live(availabilityZone), left });
    }
  }
  return { rules, offerings };
}
