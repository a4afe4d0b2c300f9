import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { InstanceRuntime, SshEndpointSpec } from '../runtime/contract';
import type { AddressPool } from './address-pool';
import { type BootDelaySpec, sampleBootTimeline } from './boot-delay';
import type { SimImage } from './catalog';
import type { RandomSource } from './seeded-random';
import type { SimInstance, SimState } from './sim-state';

// Moves instances through EC2's states on timers and starts/stops their SSH servers.
// Runtime calls for one instance run strictly in order (a per-instance promise chain), so a
// stop issued while the SSH server is still starting always wins.

export interface LifecycleOptions {
  bootDelay: BootDelaySpec;
  random: RandomSource;
  /** stopping → stopped and shutting-down → terminated take this long. */
  transitionMs: number;
  /** Terminated instances stay visible this long, then disappear (EC2: about an hour). */
  terminatedRetentionMs: number;
  rootDir: string;
  sshPort: number;
  images: ReadonlyMap<string, SimImage>;
  log: Logger;
  /** Called when an instance first answers SSH, before its user data runs (--keep-state writes
   *  the account here, so a restart never runs user data twice). */
  onSshReady?: () => void;
}

export class InstanceLifecycle {
  private timers = new Map<string, Set<NodeJS.Timeout>>();
  private queues = new Map<string, Promise<void>>();
  /** Pending "after the timer and the runtime" transitions, cancelled with the timers. */
  private cancellations = new Map<string, { value: boolean }>();

  constructor(
    private readonly state: SimState,
    private readonly runtime: InstanceRuntime | undefined,
    private readonly addresses: AddressPool,
    private readonly options: LifecycleOptions,
  ) {}

  /** From `pending`: schedules `running`, then the SSH server. Used at launch and at start. */
  boot(instance: SimInstance): void {
    instance.bootCount++;
    this.scheduleBoot(instance, instance.bootCount);
  }

  /**
   * An instance restored from a kept account, after the cloud-sim process that ran it ended (its
   * SSH server went with it, as a host's would): whatever its saved state, it goes on from there.
   * An instance that had answered SSH answers again at once, on its old port with its old host
   * key and without running its user data again; one that was still booting boots again.
   */
  resume(instance: SimInstance, previousSshPort?: number): void {
    switch (instance.state) {
      case 'pending':
        this.scheduleBoot(instance, instance.bootCount);
        return;
      case 'running':
        if (instance.times.sshReadyAt === undefined) this.scheduleBoot(instance, instance.bootCount);
        else if (instance.times.diedAt === undefined) this.startSsh(instance, instance.bootCount, { resumedOnPort: previousSshPort });
        return;
      case 'stopping':
        instance.state = 'stopped';
        instance.times.stoppedAt ??= Date.now();
        return;
      case 'shutting-down':
        instance.state = 'terminated';
        instance.times.terminatedAt ??= Date.now();
        this.scheduleForget(instance);
        return;
      case 'terminated':
        this.scheduleForget(instance);
        return;
      case 'stopped':
        return;
    }
  }

  private scheduleBoot(instance: SimInstance, boot: number): void {
    const timeline = sampleBootTimeline(this.options.bootDelay, this.options.random);
    const sameBoot = () => instance.bootCount === boot;
    this.after(instance, timeline.runningAfterMs, () => {
      if (!sameBoot() || instance.state !== 'pending') return;
      instance.state = 'running';
      instance.times.runningAt = Date.now();
    });
    this.after(instance, timeline.sshReadyAfterMs, () => {
      if (sameBoot() && instance.state === 'running') this.startSsh(instance, boot);
    });
  }

  /** A new address for a stopped instance (its SSH server listens there at the next boot). */
  readdress(instance: SimInstance): void {
    const previous = instance.address;
    // Allocated before the old one is released, so the new address is never the old one.
    instance.address = this.addresses.allocate();
    this.addresses.release(previous);
  }

  stop(instance: SimInstance, reason: string): void {
    this.cancelTimers(instance);
    instance.state = 'stopping';
    instance.stateTransitionReason = reason;
    // `stopped` is only reported once the SSH server is really gone (and not before transitionMs).
    this.afterBoth(instance, this.stopSsh(instance), () => {
      if (instance.state !== 'stopping') return;
      instance.state = 'stopped';
      instance.times.stoppedAt = Date.now();
    });
  }

  terminate(instance: SimInstance, reason: string): void {
    if (instance.state === 'terminated' || instance.state === 'shutting-down') return;
    this.cancelTimers(instance);
    instance.state = 'shutting-down';
    instance.stateTransitionReason = reason;
    this.afterBoth(instance, this.stopSsh(instance), () => {
      instance.state = 'terminated';
      instance.times.terminatedAt = Date.now();
      this.scheduleForget(instance);
    });
  }

  private scheduleForget(instance: SimInstance): void {
    const terminatedAt = instance.times.terminatedAt ?? Date.now();
    const left = Math.max(0, terminatedAt + this.options.terminatedRetentionMs - Date.now());
    this.after(instance, left, () => this.forget(instance));
  }

  /** Fault: the instance's SSH server goes away. It stays `running` (a hung VM) unless
   *  `terminate` is set (the cloud reclaimed it, like a spot interruption). */
  die(instance: SimInstance, terminate: boolean): void {
    instance.times.diedAt = Date.now();
    if (terminate) {
      this.terminate(instance, 'Server.InternalError: instance died (cloud-sim fault)');
      return;
    }
    this.stopSsh(instance);
  }

  /** Fault: a new host key. A running SSH server is restarted so it presents the new key now. */
  changeHostKey(instance: SimInstance): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return Promise.resolve();
    return this.enqueue(instance, async () => {
      await runtime.changeHostKey(instance.instanceId);
      if (!instance.endpoint) return;
      await runtime.stop(instance.instanceId);
      await this.startEndpoint(runtime, instance);
    });
  }

  /** Stops every SSH server and forgets every timer; the runtime stays usable. With
   *  `keepInstanceDirs` (a kept account) host keys and homes stay for the next process. */
  async reset(options: { keepInstanceDirs?: boolean } = {}): Promise<void> {
    const ids = [...this.state.instances.keys()];
    for (const timers of this.timers.values()) for (const timer of timers) clearTimeout(timer);
    this.timers.clear();
    for (const cancelled of this.cancellations.values()) cancelled.value = true;
    this.cancellations.clear();
    await Promise.all(this.queues.values());
    this.queues.clear();
    if (this.runtime) await Promise.all(ids.map((id) => this.runtime!.stop(id)));
    if (options.keepInstanceDirs) return;
    await Promise.all(ids.map((id) => rm(this.instanceDir(id), { recursive: true, force: true })));
  }

  /** Stops everything for good: no SSH server process is left behind. */
  async shutdown(options: { keepInstanceDirs?: boolean } = {}): Promise<void> {
    await this.reset(options);
    await this.runtime?.shutdown();
  }

  private startSsh(instance: SimInstance, boot: number, resumed?: { resumedOnPort?: number }): void {
    const image = this.options.images.get(instance.imageId);
    const runtime = this.runtime;
    if (!runtime || image?.ssh === false || instance.faults.neverSshReady || !instance.authorizedKeys) return;
    this.enqueue(instance, async () => {
      if (instance.bootCount !== boot || instance.state !== 'running') return;
      const endpoint = await this.startEndpoint(runtime, instance, resumed?.resumedOnPort);
      if (resumed) return;
      instance.times.sshReadyAt = Date.now();
      this.options.onSshReady?.();
      if (boot === 1 && instance.userData) {
        // cloud-init runs user data once per instance, after sshd is already up.
        endpoint.runAsUser(instance.userData).then(
          (result) => {
            instance.userDataResult = { exitCode: result.code };
          },
          (error: unknown) => this.options.log.warn({ instanceId: instance.instanceId, err: error }, 'user data failed'),
        );
      }
      const dieAfterMs = instance.faults.dieAfterMs;
      if (dieAfterMs !== undefined) {
        this.after(instance, dieAfterMs, () => this.die(instance, instance.faults.dieTerminates ?? false));
      }
    });
  }

  private async startEndpoint(runtime: InstanceRuntime, instance: SimInstance, port?: number) {
    const image = this.options.images.get(instance.imageId);
    const dir = this.instanceDir(instance.instanceId);
    const spec: SshEndpointSpec = {
      instanceId: instance.instanceId,
      address: instance.address,
      port: this.options.sshPort || (port ?? 0),
      username: image?.user ?? 'elastiq',
      authorizedKeys: instance.authorizedKeys ?? '',
      stateDir: join(dir, 'state'),
      homeDir: join(dir, 'home'),
      noBanner: instance.faults.noBanner,
    };
    const endpoint = await runtime.start(spec);
    instance.endpoint = {
      address: endpoint.address,
      port: endpoint.port,
      hostKeyFingerprint: endpoint.hostKeyFingerprint,
      hostKeyType: endpoint.hostKeyType,
      hostPublicKey: endpoint.hostPublicKey,
    };
    return endpoint;
  }

  private stopSsh(instance: SimInstance): Promise<void> {
    instance.endpoint = undefined;
    const runtime = this.runtime;
    return runtime ? this.enqueue(instance, () => runtime.stop(instance.instanceId)) : Promise.resolve();
  }

  /** Runs `action` once `transitionMs` passed and `done` settled, unless timers were cancelled. */
  private afterBoth(instance: SimInstance, done: Promise<void>, action: () => void): void {
    let elapsed = false;
    let settled = false;
    const cancelled = { value: false };
    this.cancellations.set(instance.instanceId, cancelled);
    const maybeRun = () => {
      if (elapsed && settled && !cancelled.value) action();
    };
    done.then(() => {
      settled = true;
      maybeRun();
    });
    this.after(instance, this.options.transitionMs, () => {
      elapsed = true;
      maybeRun();
    });
  }

  private forget(instance: SimInstance): void {
    this.state.instances.delete(instance.instanceId);
    this.addresses.release(instance.address);
    this.timers.delete(instance.instanceId);
    this.enqueue(instance, () => rm(this.instanceDir(instance.instanceId), { recursive: true, force: true }));
  }

  private instanceDir(instanceId: string): string {
    return join(this.options.rootDir, 'instances', instanceId);
  }

  private enqueue(instance: SimInstance, operation: () => Promise<unknown>): Promise<void> {
    const id = instance.instanceId;
    const next = (this.queues.get(id) ?? Promise.resolve()).then(operation).then(
      () => undefined,
      (error: unknown) => {
        instance.sshFailure = error instanceof Error ? error.message : String(error);
        this.options.log.error({ instanceId: id, err: error }, 'instance runtime operation failed');
      },
    );
    this.queues.set(id, next);
    return next;
  }

  private after(instance: SimInstance, delayMs: number, action: () => void): void {
    const timers = this.timers.get(instance.instanceId) ?? new Set();
    this.timers.set(instance.instanceId, timers);
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, delayMs);
    timers.add(timer);
  }

  private cancelTimers(instance: SimInstance): void {
    const cancelled = this.cancellations.get(instance.instanceId);
    if (cancelled) cancelled.value = true;
    for (const timer of this.timers.get(instance.instanceId) ?? []) clearTimeout(timer);
    this.timers.get(instance.instanceId)?.clear();
  }
}
