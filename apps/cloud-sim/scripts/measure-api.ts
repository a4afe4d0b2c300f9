// Measures cloud-sim's EC2 API through the real AWS SDK (runtime "none", throttling off, so
// only the server and the SDK are measured): one 1000-instance RunInstances, one 1000-instance
// DescribeInstances page, small calls sequentially and 50 at a time. Loopback only.
//   node --import tsx apps/cloud-sim/scripts/measure-api.ts
import {
  DescribeAvailabilityZonesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { startCloudSim } from '../src';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(run: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await run();
  return performance.now() - startedAt;
}

async function main(): Promise<void> {
  const sim = await startCloudSim({ runtime: 'none', rateLimits: 'off', bootDelay: 'fixed:0ms' });
  const ec2 = new EC2Client({
    endpoint: sim.endpoint,
    region: sim.region,
    credentials: { accessKeyId: 'AKIDMEASURE', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  try {
    const launches: number[] = [];
    for (let round = 0; round < 5; round++) {
      await sim.reset();
      launches.push(
        await timed(() => ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1000, MaxCount: 1000 }))),
      );
    }
    const pages: number[] = [];
    for (let round = 0; round < 10; round++) {
      pages.push(await timed(() => ec2.send(new DescribeInstancesCommand({ MaxResults: 1000 }))));
    }
    const sequentialCalls = 500;
    const sequential = await timed(async () => {
      for (let call = 0; call < sequentialCalls; call++) await ec2.send(new DescribeAvailabilityZonesCommand({}));
    });
    const concurrentCalls = 1000;
    const filtered = () =>
      ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ['i-00000000'] }] }));
    const concurrent = await timed(async () => {
      for (let wave = 0; wave < concurrentCalls / 50; wave++) await Promise.all(Array.from({ length: 50 }, filtered));
    });
    const report = {
      runInstances1000MedianMs: Math.round(median(launches)),
      describeInstancesPageOf1000MedianMs: Math.round(median(pages)),
      smallCallsPerSecondSequential: Math.round(sequentialCalls / (sequential / 1000)),
      filteredDescribeOver1000PerSecondAt50: Math.round(concurrentCalls / (concurrent / 1000)),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    ec2.destroy();
    await sim.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`measure-api: ${(error as Error).message}\n`);
  process.exit(1);
});
