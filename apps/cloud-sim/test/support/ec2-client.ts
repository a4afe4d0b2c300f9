import { EC2Client } from '@aws-sdk/client-ec2';
import type { RunningCloudSim } from '../../src';

/** The unmodified AWS SDK v3 client, pointed at cloud-sim. `maxAttempts: 1` unless asked:
 *  conformance tests must see each answer, not the SDK's retries. */
export function ec2ClientFor(sim: RunningCloudSim, maxAttempts = 1): EC2Client {
  return new EC2Client({
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: { accessKeyId: 'AKIDCLOUDSIMTEST', secretAccessKey: 'not-a-secret' },
    maxAttempts,
  });
}

/** The error code the SDK saw (its `name`), or "none" when the call succeeded. */
export async function errorCodeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'none';
  } catch (error) {
    return (error as { name: string }).name;
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
