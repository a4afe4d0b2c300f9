import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsCertificate {
  /** PEM of the throwaway CA that signed the server certificate: what a client trusts. */
  caFile: string;
  /** Server certificate for 127.0.0.1 and localhost, and its key. */
  certFile: string;
  keyFile: string;
}

/** A throwaway CA and a server certificate it signed, made with openssl in `dir` (valid 2 days). */
export async function makeTlsCertificate(dir: string): Promise<TlsCertificate> {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args);
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=elastiq test CA', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  const extensions = file('server.ext');
  await writeFile(extensions, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', extensions, '-out', file('server.crt'),
  );
  return { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
}
