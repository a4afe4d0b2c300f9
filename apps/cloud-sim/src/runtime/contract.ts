// The seam between cloud-sim's EC2 side (API, state machine, boot timing, faults) and the
// processes that make an instance a real SSH server. The EC2 side decides *when* an instance
// becomes SSH-ready and calls start(); the runtime makes it answer SSH.

export interface SshEndpointSpec {
  instanceId: string;
  /** Loopback address of the instance, 127.x.y.z (allocated by the EC2 side). */
  address: string;
  /** 22 when the runtime runs as root; otherwise 0 = let the runtime pick a free port. */
  port: number;
  /** The image's login user (must be able to log in with the key below). */
  username: string;
  /** authorized_keys text: the imported key pair's public key. */
  authorizedKeys: string;
  /** Per-instance directory kept across stop/start: host keys live here (same key after a restart). */
  stateDir: string;
  /**
   * Per-instance home: its contents are what the login user sees as ~ on this instance (as
   * root, mounted over the account's passwd home; otherwise $HOME points here).
   */
  homeDir: string;
  /** Fault: accept TCP but never send the SSH banner. */
  noBanner?: boolean;
}

export interface SshEndpoint {
  address: string;
  port: number;
  /** "SHA256:..." of the host key the endpoint presents. */
  hostKeyFingerprint: string;
  hostKeyType: string;
  /** The host's public key as an OpenSSH line ("ssh-ed25519 AAAA... i-123"): known_hosts, console output. */
  hostPublicKey: string;
  /** Runs a shell script as the login user on the instance (user data at boot). */
  runAsUser(script: string): Promise<{ code: number | null; output: string }>;
}

export interface InstanceRuntime {
  readonly mode: 'sshd' | 'light';
  /** What this mode supports, for the docs and for /_sim/health. */
  readonly capabilities: { exec: boolean; sftp: boolean; ansible: boolean; portForwarding: boolean };
  start(spec: SshEndpointSpec): Promise<SshEndpoint>;
  /** Stops the instance's SSH server (stop/terminate/die). Idempotent. */
  stop(instanceId: string): Promise<void>;
  /** Fault: replace the instance's host key (takes effect on its next start, or now if running). */
  changeHostKey(instanceId: string): Promise<void>;
  /** Stops everything; no process is left behind. */
  shutdown(): Promise<void>;
}
