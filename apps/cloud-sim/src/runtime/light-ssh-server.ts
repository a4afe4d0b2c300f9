import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Connection, type ParsedKey, Server, type ServerChannel } from 'ssh2';
import { findAuthorizedKey } from './authorized-keys';
import { signal } from './process-tree';

export interface LightServerSettings {
  instanceId: string;
  username: string;
  authorizedKeys: ParsedKey[];
  hostPrivateKey: string;
  homeDir: string;
}

/**
 * The light mode's SSH server for one instance: ssh2's in-process server, public-key auth
 * against the instance's imported key, and `exec` run by /bin/sh -c as the OS user cloud-sim
 * runs as (no user switch, no pty, shell, sftp or forwarding). Enough for probes and exec.
 */
export class LightSshServer {
  private readonly connections = new Set<Connection>();
  private readonly commands = new Set<ChildProcess>();
  private readonly server: Server;

  constructor(private readonly settings: LightServerSettings) {
    this.server = new Server({ hostKeys: [settings.hostPrivateKey] }, (connection) => this.serve(connection));
    // A failed handshake of one client must not take the whole process down.
    this.server.on('error', () => undefined);
  }

  async listen(address: string, port: number): Promise<number> {
    this.server.listen(port, address);
    await once(this.server, 'listening');
    const bound = this.server.address();
    return typeof bound === 'object' && bound ? bound.port : port;
  }

  /** Closes the listener, drops every connection and kills every running command. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.end();
    for (const command of this.commands) signalGroup(command, 'SIGKILL');
    await closed;
  }

  private serve(connection: Connection): void {
    this.connections.add(connection);
    // Each handshake round trip would otherwise wait for a delayed ACK.
    // (ssh2 has setNoDelay on server-side connections; its typings miss it.)
    (connection as unknown as { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    connection.on('close', () => this.connections.delete(connection));
    connection.on('error', () => undefined);
    connection.on('authentication', (context) => {
      if (context.method !== 'publickey' || context.username !== this.settings.username) {
        return context.reject(['publickey']);
      }
      const key = findAuthorizedKey(this.settings.authorizedKeys, context.key.algo, context.key.data);
      if (!key) return context.reject(['publickey']);
      // Without a signature the client only asks whether the key would do: yes.
      if (!context.signature) return context.accept();
      if (context.blob && key.verify(context.blob, context.signature, context.hashAlgo) === true) return context.accept();
      return context.reject(['publickey']);
    });
    connection.on('ready', () => {
      connection.on('session', (acceptSession) => {
        const session = acceptSession();
        // OpenSSH clients send env requests (LANG): ignored like an sshd without AcceptEnv.
        session.on('env', (accept) => accept?.());
        session.on('exec', (accept, _reject, info) => this.exec(accept(), info.command));
        session.on('pty', (_accept, reject) => reject?.());
        session.on('shell', (_accept, reject) => reject?.());
        session.on('subsystem', (_accept, reject) => reject?.());
      });
    });
  }

  private exec(channel: ServerChannel, command: string): void {
    const { homeDir, instanceId, username } = this.settings;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: homeDir,
      env: { HOME: homeDir, USER: username, LOGNAME: username, PATH: '/usr/local/bin:/usr/bin:/bin', SHELL: '/bin/sh', ELASTIQ_INSTANCE_ID: instanceId },
      // Own process group, so stop() can kill what the command started too.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.commands.add(child);
    channel.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    child.stdout.pipe(channel, { end: false });
    child.stderr.pipe(channel.stderr, { end: false });
    channel.on('error', () => undefined);
    channel.on('close', () => signalGroup(child, 'SIGKILL'));
    child.on('error', (error) => {
      channel.stderr.write(`${error.message}\n`);
      channel.exit(127);
      channel.end();
    });
    child.on('close', (code, signalName) => {
      this.commands.delete(child);
      if (signalName) channel.exit(signalName.replace(/^SIG/, ''), false, '');
      else channel.exit(code ?? 0);
      channel.end();
    });
  }
}

function signalGroup(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) signal(-child.pid, name);
}
