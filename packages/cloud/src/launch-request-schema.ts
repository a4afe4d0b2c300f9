import { CloudError } from '@elastiq/core';
import { z } from 'zod';
import { type LaunchRequest, TAG_CLUSTER, TAG_GENERATION } from './provider';

// RunInstances allows at most 1000 instances per call (and the resource bucket holds 1000).
const MAX_INSTANCES_PER_CALL = 1000;

const launchRequestSchema = z
  .object({
    clientToken: z.string().regex(/^[\x21-\x7e]{1,64}$/, 'must be 1-64 printable ASCII characters (use clientTokenFor)'),
    imageId: z.string().min(1, 'is empty: check image_id'),
    flavor: z.string().min(1, 'is empty: check flavor'),
    keyName: z.string().min(1, 'is empty: check user_key_name'),
    securityGroup: z.string().min(1, 'is empty: check security_group'),
    subnetId: z.string().min(1).optional(),
    availabilityZone: z.string().min(1).optional(),
    userData: z.string().optional(),
    spot: z.object({ maxPrice: z.string().regex(/^\d+(\.\d+)?$/, 'must be a price in USD per hour such as 0.08') }).optional(),
    minCount: z.number().int().min(1),
    maxCount: z.number().int().min(1).max(MAX_INSTANCES_PER_CALL),
    tags: z.record(z.string(), z.string()),
  })
  .refine((request) => request.minCount <= request.maxCount, { message: 'minCount must not exceed maxCount', path: ['minCount'] })
  // Nothing elastiq launches may be untagged: the sweeper and rollback find instances by these tags.
  .refine((request) => TAG_CLUSTER in request.tags && TAG_GENERATION in request.tags, {
    message: `must include ${TAG_CLUSTER} and ${TAG_GENERATION}`,
    path: ['tags'],
  });

/** Checks a launch before any API call; a bad request is a bug in the caller, never retried. */
export function parseLaunchRequest(request: LaunchRequest): LaunchRequest {
  const parsed = launchRequestSchema.safeParse(request);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ');
  throw new CloudError('InvalidLaunchRequest', `refusing to launch: ${problems}`, { retryable: false });
}
