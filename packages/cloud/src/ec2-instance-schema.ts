import type { Instance } from '@aws-sdk/client-ec2';
import { CloudError } from '@elastiq/core';
import { z } from 'zod';
import type { CloudInstance } from './provider';

// What elastiq relies on in an EC2 Instance. Everything else the SDK returns is ignored; a missing
// id or state is the cloud misbehaving, reported as a CloudError rather than a crash further on.
const instanceSchema = z.object({
  InstanceId: z.string().min(1),
  State: z.object({
    Name: z.enum(['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']),
  }),
  AmiLaunchIndex: z.number().int().nonnegative().optional(),
  PrivateIpAddress: z.string().min(1).optional(),
  PublicIpAddress: z.string().min(1).optional(),
  ClientToken: z.string().optional(),
  LaunchTime: z.date().optional(),
  InstanceLifecycle: z.string().optional(),
  StateReason: z.object({ Code: z.string().optional() }).optional(),
  Tags: z.array(z.object({ Key: z.string().optional(), Value: z.string().optional() })).optional(),
});

function tagsOf(tags: z.infer<typeof instanceSchema>['Tags']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) result[Key] = Value ?? '';
  return result;
}

/** Parses one instance of a RunInstances or DescribeInstances answer. Throws CloudError. */
export function cloudInstanceFrom(raw: Instance, action: string): CloudInstance {
  const parsed = instanceSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'instance'}: ${issue.message}`).join('; ');
    const id = typeof raw.InstanceId === 'string' ? ` ${raw.InstanceId}` : '';
    throw new CloudError('InvalidCloudResponse', `${action} returned an unusable instance${id} (${problems})`, {
      retryable: false,
      hint: 'the cloud endpoint (ec2_url) does not answer like EC2; check that it is an EC2-compatible API',
    });
  }
  const instance = parsed.data;
  return {
    instanceId: instance.InstanceId,
    state: instance.State.Name,
    launchIndex: instance.AmiLaunchIndex ?? 0,
    privateIp: instance.PrivateIpAddress ?? null,
    publicIp: instance.PublicIpAddress ?? null,
    tags: tagsOf(instance.Tags),
    clientToken: instance.ClientToken || null,
    launchTime: instance.LaunchTime?.toISOString() ?? null,
    market: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    stateReason: instance.StateReason?.Code || null,
  };
}
