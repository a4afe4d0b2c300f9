export { clientTokenFor } from './client-token';
export { Ec2CloudProvider } from './ec2-cloud-provider';
export type { CloudLogger, Ec2CloudProviderOptions } from './ec2-provider-options';
export { errorFromAws } from './error-from-aws';
export * from './provider';
export { opensshFingerprint, parseSshPublicKey, type SshPublicKey } from './public-key';
