import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Certificate {
  /** PEM certificate; it is its own authority, so clients trust exactly this one as `ca`. */
  cert: string;
  key: string;
}

/**
 * A self-signed certificate for the emulator's loopback names, made fresh at every start so
 * that no key is ever committed. The openssl CLI does it because node's crypto cannot sign
 * an X.509 certificate.
 */
export async function loopbackCertificate(): Promise<Certificate> {
  const dir = await mkdtemp(join(tmpdir(), 'crmsync-graph-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '7',
      '-subj',
      '/CN=crmsync Graph emulator',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
