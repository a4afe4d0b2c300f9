import type { CheckLaunchRequest, CloudInstance, CloudProvider, LaunchRequest } from '@elastiq/cloud';

/**
 * A CloudProvider whose real provider is built asynchronously (its credentials may have to be
 * read from a configuration file). A failed build is retried at the next call.
 */
export class DeferredCloud implements CloudProvider {
  private inner: Promise<CloudProvider> | undefined;

  constructor(private readonly build: () => Promise<CloudProvider>) {}

  private provider(): Promise<CloudProvider> {
    this.inner ??= this.build().catch((error: unknown) => {
      this.inner = undefined;
      throw error;
    });
    return this.inner;
  }

  async launch(request: LaunchRequest): Promise<CloudInstance[]> {
    return (await this.provider()).launch(request);
  }

  async describeCluster(clusterName: string, generation?: number): Promise<CloudInstance[]> {
    return (await this.provider()).describeCluster(clusterName, generation);
  }

  async describeTagged(key: string, value: string): Promise<CloudInstance[]> {
    return (await this.provider()).describeTagged(key, value);
  }

  async terminate(instanceIds: string[]): Promise<void> {
    return (await this.provider()).terminate(instanceIds);
  }

  async stop(instanceIds: string[]): Promise<void> {
    return (await this.provider()).stop(instanceIds);
  }

  async start(instanceIds: string[]): Promise<void> {
    return (await this.provider()).start(instanceIds);
  }

  async tag(instanceIds: string[], tags: Record<string, string>): Promise<void> {
    return (await this.provider()).tag(instanceIds, tags);
  }

  async ensureKeyPair(name: string, publicKeyPath: string): Promise<void> {
    return (await this.provider()).ensureKeyPair(name, publicKeyPath);
  }

  async checkLaunchParameters(request: CheckLaunchRequest): Promise<void> {
    return (await this.provider()).checkLaunchParameters(request);
  }
}
