import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { GraphServer } from '../../../emulators/graph/index.js';
import { connectorFor, emulator } from './support/outlook-session.js';

/** An app certificate with its key in one PEM file, as ClientCertificateCredential reads it. */
function appCertificate(dir: string, name: string): { pemFile: string; certificate: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    {
      stdio: 'ignore',
    },
  );
  const certificate = readFileSync(cert, 'utf8');
  const pemFile = join(dir, `${name}.pem`);
  writeFileSync(pemFile, readFileSync(key, 'utf8') + certificate);
  return { pemFile, certificate };
}

describe('Signing in to Graph with an app certificate instead of a secret', () => {
  let dir: string;
  let server: GraphServer;
  let registered: { pemFile: string; certificate: string };
  let other: { pemFile: string; certificate: string };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crmsync-app-cert-'));
    registered = appCertificate(dir, 'registered');
    other = appCertificate(dir, 'other');
    server = await emulator({ app: { certificate: registered.certificate } });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with the registered certificate’s key', async () => {
    const store = connectorFor(server, { clientSecret: undefined, certificatePath: registered.pemFile });
    try {
      const health = await store.health();
      expect(health.ok, health.detail).to.equal(true);
    } finally {
      store.close();
    }
  });

  it('is refused with a certificate the app did not register', async () => {
    const store = connectorFor(server, { clientSecret: undefined, certificatePath: other.pemFile });
    try {
      const health = await store.health();
      expect(health.ok).to.equal(false);
      expect(health.detail).to.match(/AADSTS700027/);
    } finally {
      store.close();
    }
  });
});
