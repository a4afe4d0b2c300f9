import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createScriptProvider, type NodeSetupResult } from '../src';
import { type SimCluster, startSimCluster } from './support/sim-cluster';

const MEMBERS = [
  { name: 'frontend001', kind: 'frontend' },
  { name: 'compute001', kind: 'compute' },
  { name: 'compute002', kind: 'compute' },
  { name: 'login001', kind: 'login' },
];

describe('script setup provider on real sshd instances', () => {
  let cluster: SimCluster | undefined;

  afterEach(async () => {
    await cluster?.shutdown();
    cluster = undefined;
  });

  it("runs each kind's script on its nodes and reports every node's exit code and output, a failing node included", async () => {
    cluster = await startSimCluster('scripted', 44, MEMBERS);
    const frontendScript = join(cluster.root.path, 'frontend.sh');
    const computeScript = join(cluster.root.path, 'compute.sh');
    await writeFile(frontendScript, 'echo "frontend $ELASTIQ_NODE of $ELASTIQ_CLUSTER"\necho configured > ~/frontend-done\n');
    await writeFile(
      computeScript,
      [
        'echo "compute $ELASTIQ_NODE ($ELASTIQ_KIND)"',
        'if [ "$ELASTIQ_NODE" = compute001 ]; then echo "no disk here" >&2; exit 3; fi',
        'echo configured > ~/compute-done',
        '',
      ].join('\n'),
    );
    const provider = createScriptProvider({
      kindScriptPaths: { frontend: frontendScript, compute: computeScript },
      concurrency: 2,
      retries: 1,
    });
    await provider.checkPrerequisites();
    const lines: string[] = [];
    const finished: Array<[string, NodeSetupResult]> = [];

    const outcome = await provider.run(await cluster.context(), {
      onLog: (line) => lines.push(line),
      onNodeResult: (node, result) => finished.push([node, result]),
    });

    expect(outcome).toEqual({
      ok: false,
      nodes: {
        frontend001: { ok: true, status: 'ok', exitCode: 0, output: 'frontend frontend001 of scripted\n', attempts: 1 },
        compute001: {
          ok: false,
          status: 'failed',
          reason: 'script exited with code 3',
          exitCode: 3,
          output: 'compute compute001 (compute)\nno disk here\n',
          attempts: 2,
        },
        compute002: { ok: true, status: 'ok', exitCode: 0, output: 'compute compute002 (compute)\n', attempts: 1 },
        login001: { ok: true, status: 'skipped', reason: 'no script for kind `login`', attempts: 0 },
      },
    });
    expect(finished.map(([node]) => node).sort()).toEqual(['compute001', 'compute002', 'frontend001', 'login001']);
    expect(lines).toContain('[compute001] no disk here');
    expect(lines).toContain('[compute001] elastiq: attempt 1 of 2 failed: script exited with code 3; running again');
    expect(await cluster.readOnNode('frontend001', '~/frontend-done')).toBe('configured\n');
    expect(await cluster.readOnNode('compute002', '~/compute-done')).toBe('configured\n');
    expect(await cluster.readOnNode('compute001', '~/compute-done')).toBeUndefined();
  }, 60_000);

  it('reports a node whose SSH broke as unreachable after its retries and runs the script on the others', async () => {
    cluster = await startSimCluster('scriptbroken', 45, MEMBERS.slice(0, 2));
    const script = join(cluster.root.path, 'all.sh');
    await writeFile(script, 'echo hi\n');
    await cluster.stopNode('compute001');
    const provider = createScriptProvider({ scriptPath: script, retries: 2 });

    const outcome = await provider.run(await cluster.context());

    expect(outcome.nodes.frontend001).toEqual({ ok: true, status: 'ok', exitCode: 0, output: 'hi\n', attempts: 1 });
    expect(outcome.nodes.compute001).toMatchObject({ ok: false, status: 'unreachable', exitCode: null, attempts: 3 });
  }, 60_000);
});
