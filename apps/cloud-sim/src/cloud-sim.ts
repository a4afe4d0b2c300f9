import type { Logger } from 'pino';
import type { ActionContext } from './actions/action-context';
import { RateLimiter } from './api/rate-limits';
import type { ResolvedCloudSimOptions } from './cloud-sim-options';
import type { InstanceRuntime } from './runtime/contract';
import { accountFilePath, restoreAccount, type SavedAccount, saveAccount } from './sim/account-file';
import type { AddressPool } from './sim/address-pool';
import { ApiStats, type StatsSnapshot } from './sim/api-stats';
import { describeBootDelay } from './sim/boot-delay';
import { type CapacityRules, capacityView } from './sim/capacity-view';
import type { SimImage } from './sim/catalog';
import { type FaultConfig, Faults } from './sim/faults';
import { InstanceLifecycle } from './sim/instance-lifecycle';
import { type InstanceView, instanceView } from './sim/instance-view';
import { createSeededRandom } from './sim/seeded-random';
import { SimState } from './sim/sim-state';

// The simulated account as a whole: state, lifecycle, faults, limits and stats, with the
// operations the admin API and the library handle expose.

export class CloudSim {
  readonly state = new SimState();
  readonly apiStats = new ApiStats();
  readonly rateLimiter: RateLimiter;
  readonly faultRules: Faults;
  readonly lifecycle: InstanceLifecycle;
  readonly images: ReadonlyMap<string, SimImage>;
  private readonly startedAt = Date.now();

  constructor(
    private readonly options: ResolvedCloudSimOptions & { rootDir: string },
    private readonly runtime: InstanceRuntime | undefined,
    readonly addresses: AddressPool,
    readonly log: Logger,
    keptAccount?: SavedAccount,
  ) {
    const random = createSeededRandom(options.seed);
    this.images = new Map(options.images.map((image) => [image.imageId, image]));
    this.rateLimiter = new RateLimiter(options.rateLimits);
    this.faultRules = new Faults(random);
    this.faultRules.apply(options.faults);
    this.lifecycle = new InstanceLifecycle(this.state, runtime, addresses, {
      bootDelay: options.bootDelay,
      random,
      transitionMs: options.transitionMs,
      terminatedRetentionMs: options.terminatedRetentionMs,
      rootDir: options.rootDir,
      // As root every instance's sshd listens on port 22 of its own address, like a real host.
      sshPort: process.getuid?.() === 0 ? 22 : 0,
      images: this.images,
      log,
      onSshReady: () => this.saveAccount(),
    });
    if (keptAccount) {
      const restored = restoreAccount(keptAccount, this.state);
      addresses.reserve(restored.map(({ instance }) => instance.address));
      for (const { instance, sshPort } of restored) this.lifecycle.resume(instance, sshPort);
      log.info({ instances: restored.length }, 'kept account restored');
    }
  }

  /** With --keep-state: writes the account to <root-dir>/account.json. Called before a mutating
   *  call is answered, so nothing a caller was told can be forgotten by a restart. */
  saveAccount(): void {
    if (!this.options.keepState) return;
    saveAccount(accountFilePath(this.options.rootDir), this.state, this.addresses.block);
  }

  actionContext(): Omit<ActionContext, 'params' | 'accessKeyId'> {
    return {
      region: this.options.region,
      state: this.state,
      lifecycle: this.lifecycle,
      faults: this.faultRules,
      rateLimiter: this.rateLimiter,
      addresses: this.addresses,
      images: this.images,
    };
  }

  health() {
    return {
      ok: true,
      region: this.options.region,
      runtime: this.runtime ? { mode: this.runtime.mode, capabilities: this.runtime.capabilities } : { mode: 'none' },
      bootDelay: describeBootDelay(this.options.bootDelay),
      seed: this.options.seed,
      rateLimits: this.options.rateLimits,
      addressBlock: `127.${this.addresses.block}.0.0/16`,
      instances: this.state.instances.size,
      uptimeMs: Date.now() - this.startedAt,
    };
  }

  instances(): InstanceView[] {
    return [...this.state.instances.values()].sort((a, b) => a.sequence - b.sequence).map(instanceView);
  }

  hasInstance(instanceId: string): boolean {
    return this.state.instances.has(instanceId);
  }

  instance(instanceId: string): InstanceView | undefined {
    const instance = this.state.instances.get(instanceId);
    return instance && instanceView(instance);
  }

  stats(): StatsSnapshot {
    return this.apiStats.snapshot();
  }

  faults() {
    return this.faultRules.current();
  }

  setFaults(update: FaultConfig): void {
    this.faultRules.apply(update);
  }

  clearFaults(): void {
    this.faultRules.clear();
  }

  /** Capacity per (type × zone) as the capacity rules and the instances holding a host make it. */
  capacity() {
    return capacityView(this.faultRules.current(), this.state, this.options.region);
  }

  /** Replaces every capacity rule (an empty list: unlimited again); the other faults stay. */
  setCapacity(rules: CapacityRules['rules']): void {
    this.faultRules.apply({ capacity: rules });
  }

  /** Fault: the instance's SSH server goes away now (see InstanceLifecycle.die). */
  killInstance(instanceId: string, options: { terminate?: boolean } = {}): void {
    const instance = this.state.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    this.lifecycle.die(instance, options.terminate ?? false);
    this.saveAccount();
  }

  /** Fault: the spot market takes a spot instance back (EC2's interruption: it is terminated, StateReason Server.SpotInstanceTermination). */
  interruptSpotInstance(instanceId: string): void {
    const instance = this.state.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    if (instance.spot === undefined) throw new Error(`${instanceId} is not a spot instance`);
    this.lifecycle.terminate(instance, 'Server.SpotInstanceTermination: Spot instance termination');
    this.saveAccount();
  }

  async changeHostKey(instanceId: string): Promise<void> {
    const instance = this.state.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    await this.lifecycle.changeHostKey(instance);
  }

  /** Back to a fresh account: no instances, key pairs or groups, full buckets, zero stats and
   *  only the faults given at start-up. */
  async reset(): Promise<void> {
    await this.lifecycle.reset();
    this.state.clear();
    this.addresses.reset();
    this.rateLimiter.reset();
    this.faultRules.clear();
    this.faultRules.apply(this.options.faults);
    this.apiStats.reset();
    this.saveAccount();
  }

  async shutdown(): Promise<void> {
    this.saveAccount();
    await this.lifecycle.shutdown({ keepInstanceDirs: this.options.keepState });
    await this.addresses.close();
  }
}
