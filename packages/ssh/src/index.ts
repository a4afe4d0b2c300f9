export * from './contracts';
export { execOnNode, type ExecOptions, type ExecResult } from './exec-on-node';
export { fingerprintOf, hostKeyFromBlob, keyTypeOf, sameHostKey } from './fingerprint';
export { knownHostsHost, knownHostsLine, writeKnownHosts } from './known-hosts';
export { describeTarget, parseProbeTarget, probeTargetSchema } from './probe-target';
export { probeNode } from './probe-node';
export { expandProxyCommand } from './proxy-command';
export { SshConnectionError, type SshFailureKind } from './ssh-connection-error';
