import { join } from 'node:path';
import { generateSshKeyPair, makeTempDir, type SshKeyPair, type TempDir } from '@elastiq/testing';
import pino from 'pino';
import { createRuntime, type InstanceRuntime, type SshEndpointSpec } from '../../src/runtime';

export interface RuntimeFixture {
  root: TempDir;
  /** The key imported into every instance specFor() describes. */
  key: SshKeyPair;
  /** A key no instance knows, for refusals. */
  otherKey: SshKeyPair;
  runtime: InstanceRuntime;
  specFor(instanceId: string, address: string, overrides?: Partial<SshEndpointSpec>): SshEndpointSpec;
}

export interface RuntimeFixtureOptions {
  mode: 'light' | 'sshd';
  imageUser: string;
  /** 0 for a free port, or the fixed port every instance listens on. */
  port: number;
}

/**
 * One instance runtime for the test file that calls this, under its own temp dir: started before
 * the first test, shut down (every instance with it) and its dir removed after the last one.
 */
export function useRuntime({ mode, imageUser, port }: RuntimeFixtureOptions): RuntimeFixture {
  const fixture: RuntimeFixture = {
    specFor: (instanceId, address, overrides = {}) => ({
      instanceId,
      address,
      port,
      username: imageUser,
      authorizedKeys: fixture.key.publicKey,
      stateDir: join(fixture.root.path, 'state', instanceId),
      homeDir: join(fixture.root.path, 'home', instanceId),
      ...overrides,
    }),
  } as RuntimeFixture;
  beforeAll(async () => {
    fixture.root = await makeTempDir(`runtime-${mode}`);
    fixture.key = await generateSshKeyPair(fixture.root.path);
    fixture.otherKey = await generateSshKeyPair(fixture.root.path);
    fixture.runtime = createRuntime({ mode, rootDir: fixture.root.path, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await fixture.runtime.shutdown();
    await fixture.root.cleanup();
  });
  return fixture;
}
