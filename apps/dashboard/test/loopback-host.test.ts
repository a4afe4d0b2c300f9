import { isLoopbackHost } from '../src';

describe('isLoopbackHost', () => {
  it('accepts the whole 127.0.0.0/8 range, ::1 (also bracketed and IPv4-mapped) and localhost', () => {
    for (const host of ['127.0.0.1', '127.3.4.5', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    }
  });

  it('rejects wildcard, private and public addresses and other host names', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.10', '128.0.0.1', '::ffff:10.0.0.1', 'example.org', 'localhost.example.org', '']) {
      expect([host, isLoopbackHost(host)]).toEqual([host, false]);
    }
  });
});
