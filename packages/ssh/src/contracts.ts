// The contract between the fleet and SSH: a node is "up" exactly when an SSH connection
// authenticated as the image user with the cluster key succeeds within ssh_probe_timeout.

export interface HostKey {
  /** e.g. "ssh-ed25519" */
  type: string;
  /** base64 of the public key blob, as in known_hosts */
  base64: string;
  /** "SHA256:..." as OpenSSH prints it */
  fingerprint: string;
}

export interface ProbeTarget {
  host: string;
  port: number;
  username: string;
  /** A path, never key material. */
  privateKeyPath: string;
  timeoutMs: number;
  /** ssh_proxy_command with %h %p %r; run through /bin/sh. */
  proxyCommand?: string;
  /** The key pinned at the first successful probe, if any (trust on first use). */
  pinnedHostKey?: HostKey | null;
  /** The node's name, so a host-key mismatch names the node (default: host:port). */
  nodeName?: string;
}

export type ProbeResult =
  | { ok: true; hostKey: HostKey; elapsedMs: number }
  /** kind tells the fleet what to do: retry later (refused/timeout/banner), or fail the node (auth/host-key-mismatch). */
  | { ok: false; kind: 'refused' | 'timeout' | 'auth' | 'host-key-mismatch' | 'error'; reason: string; hostKey?: HostKey; elapsedMs: number };

export interface KnownHostsEntry {
  host: string;
  port: number;
  hostKey: HostKey;
}
