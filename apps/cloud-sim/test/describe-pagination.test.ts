import { DescribeInstancesCommand, type EC2Client, paginateDescribeInstances, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { type RunningCloudSim, startCloudSim } from '../src';
import { ec2ClientFor, errorCodeOf } from './support/ec2-client';

// 1,300 instances without SSH servers (runtime "none"): the API at scale, not sshd at scale.
describe('DescribeInstances filters and pagination over more than 1000 instances', () => {
  let sim: RunningCloudSim;
  let ec2: EC2Client;

  const tagged = (cluster: string) => [{ ResourceType: 'instance' as const, Tags: [{ Key: 'cluster', Value: cluster }] }];

  beforeAll(async () => {
    sim = await startCloudSim({ runtime: 'none', bootDelay: 'fixed:0ms', rateLimits: 'off' });
    ec2 = ec2ClientFor(sim);
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1000, MaxCount: 1000, TagSpecifications: tagged('big') }));
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 100, MaxCount: 100, TagSpecifications: tagged('other') }));
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 200, MaxCount: 200, TagSpecifications: tagged('big') }));
  });
  afterAll(() => sim?.stop());

  async function allPages(filterValue: string, pageSize: number) {
    const pages: string[][] = [];
    const paginator = paginateDescribeInstances(
      { client: ec2, pageSize },
      { Filters: [{ Name: 'tag:cluster', Values: [filterValue] }], MaxResults: pageSize },
    );
    for await (const page of paginator) {
      pages.push((page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).map((i) => i.InstanceId!));
    }
    return pages;
  }

  it('returns every matching instance exactly once across pages, and no other', async () => {
    const pages = await allPages('big', 1000);
    expect(pages.map((page) => page.length)).toEqual([1000, 200]);
    const ids = pages.flat();
    expect(new Set(ids).size).toBe(1200);
    const expected = sim.instances().filter((instance) => instance.tags.cluster === 'big').map((i) => i.instanceId);
    expect(new Set(ids)).toEqual(new Set(expected));
  });

  it('pages in small steps too, ending without a NextToken', async () => {
    const pages = await allPages('other', 30);
    expect(pages.map((page) => page.length)).toEqual([30, 30, 30, 10]);
  });

  it('keeps its place when instances are launched between pages: nothing twice, nothing skipped', async () => {
    const launchPaged = (count: number) =>
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: count, MaxCount: count, TagSpecifications: tagged('paged') }));
    await launchPaged(60);
    const filter = { Filters: [{ Name: 'tag:cluster', Values: ['paged'] }], MaxResults: 50 };
    const first = await ec2.send(new DescribeInstancesCommand(filter));
    await launchPaged(5);
    const second = await ec2.send(new DescribeInstancesCommand({ ...filter, NextToken: first.NextToken }));
    const ids = [first, second].flatMap((page) => page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    expect(new Set(ids).size).toBe(65);
    expect(second.NextToken).toBeUndefined();
  });

  it('groups instances into their reservations', async () => {
    const first = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:cluster', Values: ['big'] }], MaxResults: 1000 }),
    );
    expect(first.Reservations).toHaveLength(1);
    expect(first.Reservations?.[0].Instances).toHaveLength(1000);
    expect(first.NextToken).toEqual(expect.any(String));
  });

  it('combines filters (AND) and filter values (OR), with wildcards', async () => {
    const byState = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:cluster', Values: ['oth*'] },
          { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ],
      }),
    );
    expect(byState.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(100);
    const byKey = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['nope'] }] }));
    expect(byKey.Reservations).toEqual([]);
  });

  it('answers an unknown filter name with InvalidParameterValue', async () => {
    const call = ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] }));
    expect(await errorCodeOf(call)).toBe('InvalidParameterValue');
  });

  it('refuses MaxResults outside 5..1000 and MaxResults together with InstanceIds', async () => {
    expect(await errorCodeOf(ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })))).toBe('InvalidParameterValue');
    const id = sim.instances()[0].instanceId;
    const combined = ec2.send(new DescribeInstancesCommand({ MaxResults: 10, InstanceIds: [id] }));
    expect(await errorCodeOf(combined)).toBe('InvalidParameterCombination');
  });
});
