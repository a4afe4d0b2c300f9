import { z } from 'zod';
import type { ProbeTarget } from './contracts';

// Host and user end up inside a shell command when ssh_proxy_command is set, so they are held to
// the characters an address, a DNS name or a login name can contain.
const hostSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be an IP address or DNS name (letters, digits, ".", "-", ":")');
const usernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._][A-Za-z0-9._-]*$/, 'must be a login name (letters, digits, ".", "_", "-"): check image_user');

const hostKeySchema = z.object({
  type: z.string().min(1),
  base64: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  fingerprint: z.string().startsWith('SHA256:'),
});

export const probeTargetSchema = z.object({
  host: hostSchema,
  port: z.number().int().min(1).max(65535),
  username: usernameSchema,
  privateKeyPath: z.string().min(1, 'must name the private key file: check user_key_private'),
  timeoutMs: z.number().int().positive('must be > 0: check ssh_probe_timeout'),
  proxyCommand: z.string().optional(),
  pinnedHostKey: hostKeySchema.nullish(),
  nodeName: z.string().min(1).optional(),
});

/** Parses a target at the package boundary; the message names each bad field and how to fix it. */
export function parseProbeTarget(target: ProbeTarget): { ok: true; target: ProbeTarget } | { ok: false; reason: string } {
  const parsed = probeTargetSchema.safeParse(target);
  if (parsed.success) return { ok: true, target: parsed.data };
  const reason = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'target'}: ${issue.message}`).join('; ');
  return { ok: false, reason: `invalid SSH target (${reason})` };
}

/** How errors name a node: its name when known, and always where it was reached. */
export function describeTarget(target: Pick<ProbeTarget, 'host' | 'port' | 'nodeName'>): string {
  const where = `${target.host}:${target.port}`;
  return target.nodeName ? `node ${target.nodeName} (${where})` : where;
}
