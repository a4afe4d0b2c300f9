import { ConfigurationError } from '@elastiq/core';
import { z } from 'zod';

/** The pino-compatible subset the provider logs through (object first, message second). */
export interface CloudLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface Ec2CloudProviderOptions {
  region: string;
  /** ec2_url: an EC2-compatible endpoint instead of AWS's regional one. */
  endpoint?: string;
  /** From the config (ec2_access_key / ec2_secret_key); undefined = the standard AWS credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts per API call including the first, with the SDK's backoff and jitter. Default 3. */
  maxAttempts?: number;
  /**
   * Milliseconds an API call may wait for the endpoint: to connect, and then in silence while it
   * answers (default 5 s and 30 s; a whole answer may take 4× the latter). Without them a cloud
   * that accepts and never answers hangs a worker's job.
   */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  logger?: CloudLogger;
}

const optionsSchema = z.object({
  region: z.string().regex(/^[a-z0-9-]+$/, 'must be a region name such as eu-west-1: check ec2_region'),
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL: check ec2_url' }).optional(),
  credentials: z
    .object({
      accessKeyId: z.string().min(1, 'is empty: check ec2_access_key'),
      secretAccessKey: z.string().min(1, 'is empty: check ec2_secret_key'),
    })
    .optional(),
  maxAttempts: z.number().int().min(1).max(20).default(3),
  connectTimeoutMs: z.number().int().positive().default(5_000),
  requestTimeoutMs: z.number().int().positive().default(30_000),
});

export type ParsedProviderOptions = z.infer<typeof optionsSchema>;

export function parseProviderOptions(options: Ec2CloudProviderOptions): ParsedProviderOptions {
  const parsed = optionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  // Issue messages only: zod would otherwise echo the received value, which may be a secret key.
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
  throw new ConfigurationError(`invalid EC2 cloud settings: ${problems}`, { section: 'cloud' });
}
