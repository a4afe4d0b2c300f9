import { Writable } from 'node:stream';
import { createLogger, lazyChild } from '../src/logger';

function captured(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger(level, destination), lines };
}

describe('a node job logger made on first use', () => {
  it('writes nothing and makes no child below the level', () => {
    const { log, lines } = captured('warn');
    const child = jest.spyOn(log, 'child');
    const jobLog = lazyChild(log, { cluster: 'demo', node: 'compute001' });
    jobLog.info({ host: '127.0.0.1' }, 'node up');
    jobLog.debug('quiet');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('writes at an enabled level with its bindings, redacted like any child, making the child once', () => {
    const { log, lines } = captured('info');
    const child = jest.spyOn(log, 'child');
    const jobLog = lazyChild(log, { cluster: 'demo', node: 'compute001', privateKey: 'not for logs' });
    jobLog.info({ host: '127.0.0.1' }, 'node up');
    jobLog.warn('node failed to launch');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map(({ msg, cluster, node, host, privateKey }) => ({ msg, cluster, node, host, privateKey }))).toEqual([
      { msg: 'node up', cluster: 'demo', node: 'compute001', host: '127.0.0.1', privateKey: '[redacted]' },
      { msg: 'node failed to launch', cluster: 'demo', node: 'compute001', host: undefined, privateKey: '[redacted]' },
    ]);
  });
});
