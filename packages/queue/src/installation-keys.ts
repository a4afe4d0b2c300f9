import { CloudSettingsSchema } from '@elastiq/core';
import type { z } from 'zod';

// An installation is one Redis and queue prefix: its workers, its records, its fleet state. Its
// id tags every instance it launches (elastiq:installation), so gc can tell its own instances
// from another installation's in the same cloud account, and from instances elastiq never made.

/** The installation id: created once (SET NX) by the first launch, never changed. */
export function installationIdKey(prefix: string): string {
  return `${prefix}:installation:id`;
}

/**
 * Set of every cloud (endpoint, region, credential source) this installation ever launched
 * into: where gc looks, also for orphans whose record is gone and with it their cloud settings.
 */
export function launchedCloudsKey(prefix: string): string {
  return `${prefix}:installation:clouds`;
}

export const LaunchedCloudSchema = CloudSettingsSchema.pick({ ec2Url: true, ec2Region: true, credentialSource: true });
export type LaunchedCloud = z.infer<typeof LaunchedCloudSchema>;

/** One member of the launched-clouds set: fixed key order, so the same cloud is one member. */
export function launchedCloudMember(cloud: LaunchedCloud): string {
  return JSON.stringify([cloud.ec2Url, cloud.ec2Region, cloud.credentialSource]);
}

export function parseLaunchedCloudMember(member: string): LaunchedCloud {
  const [ec2Url, ec2Region, credentialSource] = JSON.parse(member) as unknown[];
  return LaunchedCloudSchema.parse({ ec2Url, ec2Region, credentialSource });
}
