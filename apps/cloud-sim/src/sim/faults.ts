import { z } from 'zod';
import type { RandomSource } from './seeded-random';
import type { InstanceFaults } from './sim-state';

// Faults a test or benchmark switches on, through start-up options or POST /_sim/faults.

/** USD/hour; every type's spot price unless `spotPrices` says otherwise. */
export const DEFAULT_SPOT_PRICE = 0.01;

const errorCode = z.string().regex(/^[A-Za-z][A-Za-z0-9.]*$/, 'must be an EC2 error code such as RequestLimitExceeded');

/** Which launched instances a launch fault hits: the next `count`, or each with probability `rate`. */
const selectorFields = { count: z.number().int().min(0).optional(), rate: z.number().min(0).max(1).optional() };
const hasCountOrRate = (selector: { count?: number; rate?: number }) =>
  selector.count !== undefined || selector.rate !== undefined;
const instanceSelector = z.strictObject(selectorFields).refine(hasCountOrRate, 'give count or rate');

/** Instances holding a host (pending, running, stopping) allowed per type, optionally per zone. */
const capacityRules = z
  .array(z.strictObject({ instanceType: z.string(), availabilityZone: z.string().optional(), limit: z.number().int().min(0) }))
  .optional();

export const faultConfigSchema = z.strictObject({
  /** Instances holding a host (pending, running, stopping) allowed per type, optionally per zone. */
  capacity: capacityRules,
  /** Like `capacity`, for spot instances (their own pool: on-demand `capacity` counts on-demand instances only). */
  spotCapacity: capacityRules,
  /** The spot price per instance type, USD/hour (default 0.01): a lower MaxPrice gets SpotMaxPriceTooLow. */
  spotPrices: z.record(z.string(), z.number().positive()).optional(),
  /** Account limit on instances holding a host: InstanceLimitExceeded beyond it. */
  instanceQuota: z.number().int().min(0).nullable().optional(),
  /** Per action (or "*"): answer this share of calls with an error (default code InternalError). */
  errorRates: z
    .record(z.string(), z.strictObject({ rate: z.number().min(0).max(1), code: errorCode.optional() }))
    .optional(),
  /** Per action: the next calls answer these codes in order; "ok" lets one call through. */
  errorSequences: z.record(z.string(), z.array(z.union([z.literal('ok'), errorCode]))).optional(),
  /** Per action (or "*"): added latency in milliseconds before answering. */
  latencyMs: z.record(z.string(), z.number().int().min(0)).optional(),
  /** Instances that never start an SSH server: drawn at launch, and again for each instance StartInstances starts (a VM that does not come back). */
  neverSshReady: instanceSelector.optional(),
  /** Instances whose SSH port accepts TCP but never sends a banner. */
  noBanner: instanceSelector.optional(),
  /**
   * StartInstances gives each started instance a new address (its host key stays): a real EC2
   * instance without an Elastic IP gets a new public address at every start. Off by default.
   */
  newAddressOnStart: z.boolean().optional(),
  /** Instances that die this long after becoming SSH-ready (terminate: also end up terminated). */
  dieAfter: z
    .strictObject({ ...selectorFields, afterMs: z.number().int().min(0), terminate: z.boolean().optional() })
    .refine(hasCountOrRate, 'give count or rate')
    .optional(),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;

export class Faults {
  private config: FaultConfig = {};
  private remainingSequences = new Map<string, string[]>();
  private selectorUse = { neverSshReady: 0, noBanner: 0, dieAfter: 0 };

  constructor(private readonly random: RandomSource) {}

  /** Merges: every top-level key given replaces the current one; `null` quota removes the quota. */
  apply(update: FaultConfig): void {
    this.config = { ...this.config, ...update };
    if (update.errorSequences) {
      this.remainingSequences = new Map(Object.entries(update.errorSequences).map(([action, codes]) => [action, [...codes]]));
    }
    for (const key of ['neverSshReady', 'noBanner', 'dieAfter'] as const) {
      if (key in update) this.selectorUse[key] = 0;
    }
  }

  clear(): void {
    this.config = {};
    this.remainingSequences.clear();
    this.selectorUse = { neverSshReady: 0, noBanner: 0, dieAfter: 0 };
  }

  current(): FaultConfig & { remainingErrorSequences: Record<string, string[]> } {
    return { ...this.config, remainingErrorSequences: Object.fromEntries(this.remainingSequences) };
  }

  latencyFor(action: string): number {
    return this.config.latencyMs?.[action] ?? this.config.latencyMs?.['*'] ?? 0;
  }

  /** The error code this call must answer with, if a fault says so (sequence first, then rate). */
  injectedErrorFor(action: string): string | undefined {
    const sequence = this.remainingSequences.get(action);
    if (sequence && sequence.length > 0) {
      const next = sequence.shift()!;
      return next === 'ok' ? undefined : next;
    }
    const rule = this.config.errorRates?.[action] ?? this.config.errorRates?.['*'];
    if (rule && this.random.next() < rule.rate) return rule.code ?? 'InternalError';
    return undefined;
  }

  /** Whether an instance StartInstances starts again never gets its SSH server back. */
  neverSshReadyAtStart(): boolean {
    return this.hits('neverSshReady');
  }

  /** Whether a stopped instance that is started again gets a new address. */
  newAddressOnStart(): boolean {
    return this.config.newAddressOnStart ?? false;
  }

  /** The spot price of a type, USD/hour. */
  spotPrice(instanceType: string): number {
    return this.config.spotPrices?.[instanceType] ?? DEFAULT_SPOT_PRICE;
  }

  /** How many more instances of this type fit in this zone (Infinity without a rule), on demand or in the spot pool. */
  capacityLeft(instanceType: string, availabilityZone: string, liveCount: (zone?: string) => number, market: 'spot' | 'on-demand' = 'on-demand'): number {
    let left = Number.POSITIVE_INFINITY;
    for (const rule of (market === 'spot' ? this.config.spotCapacity : this.config.capacity) ?? []) {
      if (rule.instanceType !== instanceType) continue;
      if (rule.availabilityZone && rule.availabilityZone !== availabilityZone) continue;
      left = Math.min(left, rule.limit - liveCount(rule.availabilityZone));
    }
    return Math.max(0, left);
  }

  quotaLeft(liveInstances: number): number {
    const quota = this.config.instanceQuota;
    return quota === undefined || quota === null ? Number.POSITIVE_INFINITY : Math.max(0, quota - liveInstances);
  }

  /** Decides, at launch, which faults a new instance carries. */
  drawInstanceFaults(): InstanceFaults {
    const dieAfter = this.config.dieAfter;
    const dies = this.hits('dieAfter');
    return {
      neverSshReady: this.hits('neverSshReady'),
      noBanner: this.hits('noBanner'),
      dieAfterMs: dies ? dieAfter?.afterMs : undefined,
      dieTerminates: dies ? (dieAfter?.terminate ?? false) : undefined,
    };
  }

  private hits(kind: 'neverSshReady' | 'noBanner' | 'dieAfter'): boolean {
    const selector = this.config[kind];
    if (!selector) return false;
    if (selector.count !== undefined) {
      if (this.selectorUse[kind] >= selector.count) return false;
      this.selectorUse[kind]++;
      return true;
    }
    return this.random.next() < (selector.rate ?? 0);
  }
}
