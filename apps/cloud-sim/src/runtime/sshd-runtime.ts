import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { InstanceRuntime, SshEndpoint, SshEndpointSpec } from './contract';
import { parseEndpointSpec } from './endpoint-spec-schema';
import { findFreePort } from './free-port';
import { bindHomeCommand, type HomeIsolation } from './home-isolation';
import { ensureHostKey } from './host-key';
import { prepareInstanceDirs } from './instance-dirs';
import { INSTANCE_LOGIN_SCRIPT } from './instance-login-script';
import { InstanceRegistry } from './instance-registry';
import { type LoginUser, LoginUserResolver } from './login-user';
import { snapshotChildrenByParent } from './process-tree';
import { rekeyInstance } from './rekey-instance';
import { runScriptAsUser } from './run-as-user';
import { InstanceRuntimeError } from './runtime-error';
import { SilentListener } from './silent-listener';
import { renderSshdConfig } from './sshd-config';
import { SshdProcess } from './sshd-process';

export interface SshdRuntimeOptions {
  sshdPath: string;
  maxStartups: string;
  homeIsolation: HomeIsolation;
  log: Logger;
}

interface RunningInstance {
  endpoint: SshEndpoint;
  /** Exactly one of the two serves the address: a real sshd, or the silent "no banner" fault. */
  sshd?: SshdProcess;
  silent?: SilentListener;
}

/** One real OpenSSH sshd per instance: everything SSH does works, including Ansible and sftp. */
export class SshdRuntime implements InstanceRuntime {
  readonly mode = 'sshd' as const;
  readonly capabilities = { exec: true, sftp: true, ansible: true, portForwarding: true };
  private readonly users: LoginUserResolver;
  private readonly instances = new InstanceRegistry<RunningInstance>();
  /** Every instance ever started, running or not: changeHostKey on a stopped one needs its stateDir. */
  private readonly specs = new Map<string, SshEndpointSpec>();
  private privsepDirReady?: Promise<void>;

  constructor(private readonly options: SshdRuntimeOptions) {
    this.users = new LoginUserResolver(options.log);
  }

  async start(untrustedSpec: SshEndpointSpec): Promise<SshEndpoint> {
    const spec = parseEndpointSpec(untrustedSpec);
    return this.instances.start(spec.instanceId, () => this.launch(spec));
  }

  private async launch(spec: SshEndpointSpec): Promise<RunningInstance> {
    this.specs.set(spec.instanceId, spec);
    const user = await this.users.resolve(spec.username);
    const { authorizedKeysPath } = await prepareInstanceDirs(spec, user);
    const hostKey = await ensureHostKey(spec.stateDir, spec.instanceId);
    const { homeIsolation } = this.options;
    if (homeIsolation === 'mount-namespace') await ensureMountPoint(user);
    const runAsUser = (script: string) =>
      runScriptAsUser(
        { user, homeDir: spec.homeDir, stateDir: spec.stateDir, instanceId: spec.instanceId, homeIsolation },
        script,
      );
    const endpointOn = (port: number): SshEndpoint => ({
      address: spec.address,
      port,
      hostKeyFingerprint: hostKey.fingerprint,
      hostKeyType: hostKey.type,
      hostPublicKey: hostKey.publicKey,
      runAsUser,
    });

    if (spec.noBanner) {
      const { listener, port } = await SilentListener.listen(spec.address, spec.port);
      return { endpoint: endpointOn(port), silent: listener };
    }

    await this.ensurePrivsepDir();
    const port = spec.port === 0 ? await findFreePort(spec.address) : spec.port;
    const configPath = join(spec.stateDir, 'sshd_config');
    const loginScriptPath = join(spec.stateDir, 'instance-login');
    await writeFile(loginScriptPath, INSTANCE_LOGIN_SCRIPT, { mode: 0o755 });
    await chmod(loginScriptPath, 0o755);
    const config = renderSshdConfig({
      spec,
      hostKeyPath: hostKey.privateKeyPath,
      authorizedKeysPath,
      loginScriptPath,
      maxStartups: this.options.maxStartups,
      homeIsolation,
    });
    await writeFile(configPath, config, { mode: 0o644 });
    const sshd = await SshdProcess.launch({
      sshdPath: this.options.sshdPath,
      configPath,
      address: spec.address,
      port,
      instanceId: spec.instanceId,
      wrapper: homeIsolation === 'mount-namespace' ? bindHomeCommand(spec.homeDir, user.home) : [],
    });
    this.options.log.debug({ instanceId: spec.instanceId, address: spec.address, port, pid: sshd.pid }, 'sshd listening');
    return { endpoint: endpointOn(port), sshd };
  }

  async stop(instanceId: string): Promise<void> {
    const instance = await this.instances.take(instanceId);
    if (instance) await stopInstance(instance);
  }

  changeHostKey(instanceId: string): Promise<void> {
    return rekeyInstance(instanceId, {
      specs: this.specs,
      runningEndpoint: (id) => this.instances.get(id)?.endpoint,
      runtime: this,
    });
  }

  async shutdown(): Promise<void> {
    const instances = await this.instances.takeAll();
    const tree = await snapshotChildrenByParent();
    await Promise.all(instances.map((instance) => stopInstance(instance, tree)));
  }

  /** The pid of an instance's sshd listener, for tests and /_sim/health. */
  sshdPidOf(instanceId: string): number | undefined {
    return this.instances.get(instanceId)?.sshd?.pid;
  }

  private ensurePrivsepDir(): Promise<void> {
    // sshd refuses to start without its privilege separation directory.
    this.privsepDirReady ??= mkdir('/run/sshd', { recursive: true, mode: 0o755 }).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EACCES' && error.code !== 'EPERM') throw error;
      },
    );
    return this.privsepDirReady;
  }
}

/** The passwd home is where each instance's home gets mounted, so it must be a real, private-enough directory. */
async function ensureMountPoint(user: LoginUser): Promise<void> {
  if (!isAbsolute(user.home) || resolve(user.home) === '/') {
    throw new InstanceRuntimeError(
      `image user "${user.name}" has home directory "${user.home}", which cannot hold per-instance homes; give the account its own home (usermod --home /home/${user.name} --move-home ${user.name})`,
    );
  }
  await mkdir(user.home, { recursive: true, mode: 0o755 });
}

async function stopInstance(instance: RunningInstance, tree?: Map<number, number[]>): Promise<void> {
  await instance.sshd?.kill(tree);
  await instance.silent?.close();
}
