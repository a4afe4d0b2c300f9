import { ConfigurationError } from '@elastiq/core';
import { parseNodeOverrides } from '../src/cli-args';

// Command-line node counts are parsed before anything is built or enqueued.

describe('parseNodeOverrides', () => {
  it('accepts repeated options and ElastiCluster\'s comma list', () => {
    expect(parseNodeOverrides(['3:compute', '1:frontend,2:gpu'], 't', ['frontend', 'compute', 'gpu'])).toEqual(
      new Map([
        ['compute', 3],
        ['frontend', 1],
        ['gpu', 2],
      ]),
    );
  });

  it.each(['0:compute', '-1:compute', '1.5:compute', 'compute:3', '3:', ':compute', '3:compute:x'])('refuses %s with a ConfigurationError naming --nodes', (value) => {
    expect(() => parseNodeOverrides([value], 't', ['compute'])).toThrow(ConfigurationError);
    expect(() => parseNodeOverrides([value], 't', ['compute'])).toThrow(`--nodes '${value}'`);
  });
});
