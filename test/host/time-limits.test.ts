import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningHost, startHost } from '../../host/boot.js';
import { startHostProcess } from '../support/host-process.js';
import { fixture } from '../support/paths.js';
import { type ConfigFolder, configFolder, exportPluginsDir } from './support/config-folder.js';
import { send } from './support/send.js';

// The shortest limits the configuration allows, so that each one is seen to act within seconds.
// requestMs is well apart from the others, so the test can tell which limit dropped a client.
const timeouts = { headersMs: 1000, requestMs: 4000, idleMs: 1000, shutdownGraceMs: 1000 };
// Node checks the headers and request limits once per second; a loaded machine adds its own delay.
const checkSlackMs = 1500;

const previewHead = (length: number) =>
  'POST /api/v1/imports/preview?fileName=langsam.vcf HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
  `Content-Type: text/vcard\r\nContent-Length: ${length}\r\n\r\n`;
const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Späth;Jörg;;;\r\nEND:VCARD\r\n';

interface Dropped {
  afterMs: number;
  /** Whatever the host sent before it closed the connection. */
  answer: string;
}

/**
 * Opens a raw connection, writes `first`, then one byte of `trickle` every `everyMs` (none when
 * empty), and resolves when the host closes the connection.
 */
function slowClient(url: string, first: string, trickle = '', everyMs = 300): Promise<Dropped> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const started = performance.now();
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(first);
      if (trickle) {
        timer = setInterval(() => {
          if (sent < trickle.length) socket.write(trickle[sent++]!);
        }, everyMs);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    // A reset is also a drop: what counts is that the host let go.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: performance.now() - started, answer });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`the host still held the connection after 20 s; it sent: ${answer}`));
    }, 20_000).unref();
  });
}

describe('The time limits of the host', function () {
  this.timeout(30_000);
  let folder: ConfigFolder;
  let host: RunningHost;
  before(async () => {
    folder = configFolder().host({
      // One heavy request at a time: a slot a dropped upload kept would refuse the next preview.
      host: { port: 0, timeouts, limits: { heavyRequests: 1 } },
      pluginDirectories: [exportPluginsDir],
      embedded: { referenceCrm: { enabled: false } },
    });
    host = await startHost({ configDir: folder.dir, logger: false });
  });
  after(async () => {
    await host.close();
    folder.remove();
  });

  const previewStillWorks = async () => {
    const answer = await send(`${host.url}/api/v1/imports/preview?fileName=danach.vcf`, {
      body: card,
      headers: { 'content-type': 'text/vcard' },
    });
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.json().contactCount).to.equal(1);
  };

  it('drops a client that sends its headers and half the body and then goes silent, after idleMs', async () => {
    const dropped = await slowClient(host.url, previewHead(card.length) + card.slice(0, 20));
    expect(dropped.afterMs).to.be.at.least(timeouts.idleMs - 100);
    expect(dropped.afterMs).to.be.below(timeouts.requestMs);
    await previewStillWorks();
  });

  it('drops a client that trickles its body too slowly to finish, after requestMs, with 408', async () => {
    const dropped = await slowClient(host.url, previewHead(card.length), card, 300);
    expect(dropped.afterMs).to.be.at.least(timeouts.requestMs - 100);
    expect(dropped.afterMs).to.be.below(timeouts.requestMs + checkSlackMs);
    expect(dropped.answer).to.match(/^HTTP\/1\.1 408 /);
    expect(dropped.answer).to.contain('"code":"CRMSYNC_ERR_REQUEST_TIMEOUT"');
    await previewStillWorks();
  });

  it('ends a preview already under way with its reason when the rest of the upload does not arrive in time', async () => {
    const dropped = await slowClient(host.url, previewHead(card.length * 100) + card, card.repeat(99), 300);
    expect(dropped.afterMs).to.be.at.least(timeouts.requestMs - 100);
    expect(dropped.afterMs).to.be.below(timeouts.requestMs + checkSlackMs);
    // One answer, begun with the first card and ended with the reason: never a second status line in it.
    expect(dropped.answer).to.match(/^HTTP\/1\.1 200 /);
    expect(dropped.answer.match(/HTTP\/1\.1/g)).to.have.length(1);
    expect(dropped.answer).to.contain('Späth');
    expect(dropped.answer).to.contain('"complete":false');
    expect(dropped.answer).to.contain('"code":"CRMSYNC_ERR_REQUEST_TIMEOUT"');
    expect(dropped.answer).to.contain('host.timeouts.requestMs');
    await previewStillWorks();
  });

  it('waits for an export that works longer than idleMs once its body has arrived: the silence is its own', async () => {
    const started = performance.now();
    const answer = await send(`${host.url}/api/v1/exports/slow-count`, {
      body: JSON.stringify({ contacts: [{ surname: 'Späth' }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status, answer.text).to.equal(200);
    expect(answer.json()).to.include({ written: 1 });
    expect(performance.now() - started).to.be.at.least(2500 - 100);
  });

  it('drops a client that never finishes its headers, after headersMs, with 408', async () => {
    const dropped = await slowClient(
      host.url,
      'POST /api/v1/imports/preview?fileName=langsam.vcf HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      'X-Slow-Header: one byte at a time, never ending',
      300,
    );
    expect(dropped.afterMs).to.be.at.least(timeouts.headersMs - 100);
    expect(dropped.afterMs).to.be.below(timeouts.headersMs + checkSlackMs);
    expect(dropped.answer).to.match(/^HTTP\/1\.1 408 /);
    expect(dropped.answer).to.contain('"code":"CRMSYNC_ERR_REQUEST_TIMEOUT"');
    await previewStillWorks();
  });
});

describe('The host process stopping during a slow upload', function () {
  this.timeout(60_000);

  it('drops the upload on SIGTERM after shutdownGraceMs, deactivates its plugins and exits 0', async () => {
    const folder = configFolder().host({
      host: { port: 0, logLevel: 'warn', timeouts: { ...timeouts, idleMs: 30_000, requestMs: 300_000 } },
      pluginDirectories: [fixture('extra-plugins')],
      embedded: { referenceCrm: { enabled: false } },
    });
    const dataDir = join(folder.dir, 'data');
    const host = await startHostProcess({ CRMSYNC_CONFIG: folder.dir, PORT: '0' });
    try {
      // A card a second: the upload would take minutes to finish.
      const upload = slowClient(host.url, previewHead(10_000) + card, card.repeat(300), 1000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const signalled = performance.now();
      const exitCode = await host.stop('SIGTERM');
      const stoppedAfterMs = performance.now() - signalled;
      expect(exitCode, host.output()).to.equal(0);
      // The grace for requests in flight, then the plugins' deactivation: seconds, not the minutes of the upload.
      expect(stoppedAfterMs).to.be.at.least(timeouts.shutdownGraceMs - 100);
      expect(stoppedAfterMs).to.be.below(timeouts.shutdownGraceMs + 5000);
      const dropped = await upload;
      expect(dropped.afterMs).to.be.below(timeouts.shutdownGraceMs + 5000);
      const marker = join(dataDir, 'plugins', 'email-domain-rule', 'deactivated');
      expect(existsSync(marker), 'plugin deactivated').to.equal(true);
    } finally {
      host.child.kill('SIGKILL');
      folder.remove();
    }
  });
});
