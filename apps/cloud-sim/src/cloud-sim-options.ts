import { z } from 'zod';
import { BOOT_DELAY_SYNTAX, type BootDelaySpec, parseBootDelaySpec } from './sim/boot-delay';
import { DEFAULT_IMAGE } from './sim/catalog';
import { faultConfigSchema } from './sim/faults';

// Options of startCloudSim (and, through main.ts, of the elastiq-cloud-sim command).

const loopbackHost = z
  .string()
  .regex(/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$|^localhost$/, 'must be a loopback address (127.x.y.z): cloud-sim never listens elsewhere');

const bootDelay = z
  .custom<string | BootDelaySpec>(
    (value) => typeof value === 'string' || (typeof value === 'object' && value !== null && 'kind' in value),
    `must be ${BOOT_DELAY_SYNTAX}`,
  )
  .transform((value, context): BootDelaySpec => {
    if (typeof value !== 'string') return value;
    try {
      return parseBootDelaySpec(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

const cloudSimOptionsFields = z.strictObject({
  host: loopbackHost.default('127.0.0.1'),
  /** 0 = any free port. */
  port: z.number().int().min(0).max(65535).default(0),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like an AWS region, e.g. us-east-1').default('us-east-1'),
  /** Launch → SSH-ready time, e.g. "uniform:1s..3s" (see boot-delay.ts). */
  bootDelay: bootDelay.prefault('uniform:500ms..1500ms'),
  seed: z.number().int().default(1),
  /** "off", or a factor applied to every AWS bucket size and refill rate (1 = AWS's own). */
  rateLimits: z.union([z.literal('off'), z.strictObject({ scale: z.number().positive() })]).default({ scale: 1 }),
  /** sshd: a real OpenSSH server per instance; none: no SSH at all (API-only tests at scale). */
  runtime: z.enum(['sshd', 'light', 'none']).default('sshd'),
  /**
   * sshd runtime: how instances of one image user get separate homes (runtime/home-isolation.ts).
   * Unset: mount-namespace as root, set-env otherwise. A root without CAP_SYS_ADMIN (a container)
   * cannot unshare and needs set-env.
   */
  homeIsolation: z.enum(['mount-namespace', 'set-env']).optional(),
  images: z
    .array(
      z.strictObject({
        imageId: z.string().regex(/^ami-[0-9a-z]+$/, 'must look like ami-...'),
        user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a POSIX user name'),
        name: z.string().optional(),
        ssh: z.boolean().optional(),
      }),
    )
    .default([DEFAULT_IMAGE]),
  /** Where instance state (host keys, homes) lives; default: a new temporary directory, removed at stop. */
  rootDir: z.string().optional(),
  /**
   * Keep the account (instances, key pairs, groups, ClientTokens) in <rootDir>/account.json and
   * pick it up again at start: a cloud-sim restarted on the same rootDir, even after SIGKILL,
   * knows every instance it launched (sim/account-file.ts). Needs rootDir.
   */
  keepState: z.boolean().default(false),
  /** stopping → stopped and shutting-down → terminated durations. */
  transitionMs: z.number().int().min(0).default(300),
  /** How long terminated instances stay visible (EC2: about an hour). */
  terminatedRetentionMs: z.number().int().min(0).default(10 * 60_000),
  /** The loopback block 127.B.*.* instance addresses come from; default: any free block. */
  addressBlock: z.number().int().min(1).max(254).optional(),
  /** Faults active from the start (same shape as POST /_sim/faults). */
  faults: faultConfigSchema.default({}),
  logLevel: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('silent'),
});

export const cloudSimOptionsSchema = cloudSimOptionsFields.refine((options) => !options.keepState || options.rootDir !== undefined, {
  path: ['keepState'],
  message: 'needs rootDir (--root-dir): the account is kept there',
});

export type CloudSimOptions = z.input<typeof cloudSimOptionsSchema>;
export type ResolvedCloudSimOptions = z.output<typeof cloudSimOptionsSchema>;

/** Parses options; the error names each bad option and what it must be. */
export function resolveCloudSimOptions(options: CloudSimOptions): ResolvedCloudSimOptions {
  const result = cloudSimOptionsSchema.safeParse(options);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
  throw new Error(`invalid cloud-sim options: ${problems.join('; ')}`);
}
