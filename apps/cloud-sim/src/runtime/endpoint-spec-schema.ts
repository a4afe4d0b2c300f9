import { z } from 'zod';
import type { SshEndpointSpec } from './contract';
import { InstanceRuntimeError } from './runtime-error';

// Paths end up inside sshd_config lines and a shell command; a newline, quote, "$" or
// backslash would let a spec inject configuration, so they are refused here rather than escaped there.
const configSafeAbsolutePath = z
  .string()
  .regex(/^\/[^\n\r"'`$\\]*$/, 'must be an absolute path without quotes, "$", backslashes or line breaks');

/** Instances may only ever listen on loopback: the whole 127.0.0.0/8 range is on `lo`. */
const loopbackAddress = z
  .string()
  .regex(/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'must be a loopback address 127.x.y.z')
  .refine((address) => address.split('.').every((octet) => Number(octet) <= 255), 'each octet must be 0-255');

export const sshEndpointSpecSchema = z.object({
  instanceId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be letters, digits and dashes (e.g. i-0123abcd)'),
  address: loopbackAddress,
  port: z.number().int().min(0).max(65535),
  username: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name (lower case letters, digits, _ and -)'),
  authorizedKeys: z
    .string()
    .refine((text) => /^(ssh-|ecdsa-|sk-)/m.test(text), 'must contain at least one OpenSSH public key line'),
  stateDir: configSafeAbsolutePath,
  homeDir: configSafeAbsolutePath,
  noBanner: z.boolean().optional(),
});

/** Parses what the EC2 side hands over; the error names the field and what it must look like. */
export function parseEndpointSpec(spec: SshEndpointSpec): SshEndpointSpec {
  const result = sshEndpointSpecSchema.safeParse(spec);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'spec'}: ${issue.message}`);
    throw new InstanceRuntimeError(`invalid SSH endpoint spec for instance ${String(spec?.instanceId)}: ${problems.join('; ')}`);
  }
  return result.data;
}
