import { userInfo } from 'node:os';
import type { Logger } from 'pino';
import { parseAuthorizedKeys } from './authorized-keys';
import type { InstanceRuntime, SshEndpoint, SshEndpointSpec } from './contract';
import { parseEndpointSpec } from './endpoint-spec-schema';
import { ensureHostKey } from './host-key';
import { prepareInstanceDirs } from './instance-dirs';
import { InstanceRegistry } from './instance-registry';
import { LightSshServer } from './light-ssh-server';
import type { LoginUser } from './login-user';
import { rekeyInstance } from './rekey-instance';
import { runScriptAsUser } from './run-as-user';
import { InstanceRuntimeError } from './runtime-error';
import { SilentListener } from './silent-listener';

interface RunningInstance {
  endpoint: SshEndpoint;
  server: { close(): Promise<void> };
}

/**
 * Every instance served from inside the cloud-sim process by ssh2's server: no process per
 * instance, so thousands fit easily, but only SSH probes and exec work (see LightSshServer).
 */
export class LightRuntime implements InstanceRuntime {
  readonly mode = 'light' as const;
  readonly capabilities = { exec: true, sftp: false, ansible: false, portForwarding: false };
  private readonly instances = new InstanceRegistry<RunningInstance>();
  private readonly specs = new Map<string, SshEndpointSpec>();

  constructor(private readonly log: Logger) {}

  async start(untrustedSpec: SshEndpointSpec): Promise<SshEndpoint> {
    const spec = parseEndpointSpec(untrustedSpec);
    return this.instances.start(spec.instanceId, () => this.launch(spec));
  }

  private async launch(spec: SshEndpointSpec): Promise<RunningInstance> {
    this.specs.set(spec.instanceId, spec);
    const authorizedKeys = parseAuthorizedKeys(spec.authorizedKeys);
    if (authorizedKeys.length === 0) {
      throw new InstanceRuntimeError(`instance ${spec.instanceId}: authorizedKeys holds no public key ssh2 can read`);
    }
    // Light mode does not switch users: commands run as cloud-sim's own OS user.
    const os = userInfo();
    const user: LoginUser = { name: spec.username, uid: os.uid, gid: os.gid, home: spec.homeDir };
    await prepareInstanceDirs(spec, user);
    const hostKey = await ensureHostKey(spec.stateDir, spec.instanceId);

    let server: RunningInstance['server'];
    let port: number;
    if (spec.noBanner) {
      ({ listener: server, port } = await SilentListener.listen(spec.address, spec.port));
    } else {
      const ssh = new LightSshServer({
        instanceId: spec.instanceId,
        username: spec.username,
        authorizedKeys,
        hostPrivateKey: hostKey.privateKey,
        homeDir: spec.homeDir,
      });
      port = await ssh.listen(spec.address, spec.port);
      server = ssh;
    }
    const endpoint: SshEndpoint = {
      address: spec.address,
      port,
      hostKeyFingerprint: hostKey.fingerprint,
      hostKeyType: hostKey.type,
      hostPublicKey: hostKey.publicKey,
      runAsUser: (script) =>
        runScriptAsUser(
          { user, homeDir: spec.homeDir, stateDir: spec.stateDir, instanceId: spec.instanceId, homeIsolation: 'set-env' },
          script,
        ),
    };
    this.log.debug({ instanceId: spec.instanceId, address: spec.address, port }, 'light SSH server listening');
    return { endpoint, server };
  }

  async stop(instanceId: string): Promise<void> {
    const instance = await this.instances.take(instanceId);
    await instance?.server.close();
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
    await Promise.all(instances.map((instance) => instance.server.close()));
  }
}
