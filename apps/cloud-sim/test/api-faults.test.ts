import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { RunningCloudSim } from '../src';
import { errorCodeOf } from './support/ec2-client';
import { useApiSim } from './support/api-sim';

describe('API fault injection (admin API under /_sim/)', () => {
  const api = useApiSim({ runtime: 'none', rateLimits: 'off' }, { resetBetweenTests: true });

  const postFaults = (body: unknown) =>
    fetch(`${api.sim.endpoint}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) });
  const describe = () => errorCodeOf(api.ec2.send(new DescribeInstancesCommand({})));

  it('answers an exact sequence of errors for one action, "ok" letting a call through', async () => {
    const response = await postFaults({ errorSequences: { DescribeInstances: ['Unavailable', 'ok', 'InternalError'] } });
    expect(response.status).toBe(200);
    expect([await describe(), await describe(), await describe(), await describe()]).toEqual([
      'Unavailable',
      'none',
      'InternalError',
      'none',
    ]);
  });

  it('injects errors at a rate, deterministically for a seed', async () => {
    await postFaults({ errorRates: { DescribeInstances: { rate: 1, code: 'RequestLimitExceeded' } } });
    expect(await describe()).toBe('RequestLimitExceeded');
    expect(api.sim.stats().throttled).toBe(1);
    await postFaults({ errorRates: { DescribeInstances: { rate: 0.5 } } });
    const codes = [];
    for (let call = 0; call < 40; call++) codes.push(await describe());
    const failures = codes.filter((code) => code === 'InternalError').length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('leaves other actions alone', async () => {
    await postFaults({ errorRates: { RunInstances: { rate: 1 } } });
    expect(await describe()).toBe('none');
    const launch = api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 1, MaxCount: 1 }));
    expect(await errorCodeOf(launch)).toBe('InternalError');
    expect(api.sim.instances()).toHaveLength(0);
  });

  it('adds latency to an action', async () => {
    await postFaults({ latencyMs: { DescribeInstances: 300 } });
    const startedAt = performance.now();
    await describe();
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(295);
  });

  it('rejects a malformed fault body with a 400 that names the field', async () => {
    const response = await postFaults({ errorRates: { RunInstances: { rate: 2 } } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('errorRates.RunInstances.rate');
  });

  it('counts calls by action and outcome in /_sim/stats', async () => {
    await postFaults({ errorSequences: { DescribeInstances: ['InternalError'] } });
    await describe();
    await describe();
    const stats = (await (await fetch(`${api.sim.endpoint}/_sim/stats`)).json()) as ReturnType<RunningCloudSim['stats']>;
    expect(stats.byAction.DescribeInstances).toEqual({ calls: 2, ok: 1, errors: { InternalError: 1 } });
  });

  it('reports health and clears everything on POST /_sim/reset', async () => {
    await api.ec2.send(new RunInstancesCommand({ ImageId: 'ami-sim', MinCount: 2, MaxCount: 2 }));
    const health = await (await fetch(`${api.sim.endpoint}/_sim/health`)).json();
    expect(health).toMatchObject({ ok: true, instances: 2, runtime: { mode: 'none' } });
    const reset = await fetch(`${api.sim.endpoint}/_sim/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(await (await fetch(`${api.sim.endpoint}/_sim/instances`)).json()).toEqual([]);
    expect(api.sim.stats().totalCalls).toBe(0);
  });
});
