import { parseAnsibleEventLine, renderAnsibleEvent } from '../src/ansible-events';
import type { PlaybookRunResult } from '../src/ansible-playbook-run';
import { hostOutcome } from '../src/ansible-provider';

const recap = (stats: Record<string, Partial<Record<'ok' | 'unreachable' | 'failures' | 'ignored', number>>>) =>
  Object.fromEntries(
    Object.entries(stats).map(([host, s]) => [
      host,
      { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0, ...s },
    ]),
  );

function run(overrides: Partial<PlaybookRunResult>): PlaybookRunResult {
  return { exitCode: 0, signal: null, stats: undefined, lastFailure: {}, stderrTail: [], ...overrides };
}

describe('hostOutcome: a host’s result comes from the recap, not from the exit code', () => {
  it('is ok when the host has no failure, even though another host made ansible-playbook exit 2', () => {
    expect(hostOutcome('a', run({ exitCode: 2, stats: recap({ a: { ok: 3 }, b: { failures: 1 } }) }))).toEqual({ status: 'ok' });
  });

  it('is ok when a failure was ignored by the playbook', () => {
    expect(hostOutcome('a', run({ stats: recap({ a: { ok: 1, ignored: 1 } }) }))).toEqual({ status: 'ok' });
  });

  it('is failed with the failing task and message', () => {
    const outcome = hostOutcome('b', run({ exitCode: 2, stats: recap({ b: { failures: 1 } }), lastFailure: { b: 'Install: no package' } }));
    expect(outcome).toEqual({ status: 'failed', reason: 'Install: no package' });
  });

  it('is unreachable when Ansible could not connect', () => {
    expect(hostOutcome('c', run({ exitCode: 4, stats: recap({ c: { unreachable: 1 } }) })).status).toBe('unreachable');
  });

  it('is skipped when no play targets the host', () => {
    expect(hostOutcome('d', run({ stats: recap({ a: { ok: 1 } }) })).status).toBe('skipped');
  });

  it("is failed with Ansible's last error when there is no recap at all (a broken playbook)", () => {
    const outcome = hostOutcome('a', run({ exitCode: 4, stderrTail: ['ERROR! the playbook: x.yml could not be found'] }));
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'ansible-playbook exited with code 4 before its recap: ERROR! the playbook: x.yml could not be found',
    });
  });
});

describe('JSONL events in the job log', () => {
  it('renders a failed task like Ansible does', () => {
    const event = parseAnsibleEventLine(
      JSON.stringify({
        _event: 'v2_runner_on_failed',
        task: { name: 'Install' },
        hosts: { compute001: { failed: true, msg: 'non-zero return code', stderr: 'E: no package\nE: again' } },
      }),
    );
    expect(event && renderAnsibleEvent(event)).toEqual(['fatal: [compute001]: FAILED! => non-zero return code: E: no package | E: again']);
  });

  it('passes lines that are not events through as text', () => {
    expect(parseAnsibleEventLine('[WARNING]: something')).toBeUndefined();
    expect(parseAnsibleEventLine('{"not": "an event"}')).toBeUndefined();
  });
});
