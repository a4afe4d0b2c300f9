import type { SshEndpoint } from './contract';

/**
 * The running instances of a runtime, with the starts still in flight: a second start() of
 * the same instance joins the first, and stop()/shutdown() wait for a start in flight to
 * finish, so no server is left running because it finished starting after being stopped.
 */
export class InstanceRegistry<Instance extends { endpoint: SshEndpoint }> {
  private readonly running = new Map<string, Instance>();
  private readonly starting = new Map<string, Promise<Instance>>();

  async start(instanceId: string, launch: () => Promise<Instance>): Promise<SshEndpoint> {
    const running = this.running.get(instanceId);
    if (running) return running.endpoint;
    let starting = this.starting.get(instanceId);
    if (!starting) {
      starting = launch()
        .then((instance) => {
          this.running.set(instanceId, instance);
          return instance;
        })
        .finally(() => this.starting.delete(instanceId));
      this.starting.set(instanceId, starting);
    }
    return (await starting).endpoint;
  }

  get(instanceId: string): Instance | undefined {
    return this.running.get(instanceId);
  }

  /** Removes the instance (after any start in flight settled) and returns it, if it runs. */
  async take(instanceId: string): Promise<Instance | undefined> {
    await this.starting.get(instanceId)?.catch(() => undefined);
    const instance = this.running.get(instanceId);
    this.running.delete(instanceId);
    return instance;
  }

  /** Removes and returns every instance, once all starts in flight settled. */
  async takeAll(): Promise<Instance[]> {
    await Promise.allSettled([...this.starting.values()]);
    const instances = [...this.running.values()];
    this.running.clear();
    return instances;
  }
}
