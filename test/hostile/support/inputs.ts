import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A stream of `count` small, valid vCards, generated as it is read (never whole in memory). */
export function tinyCards(count: number): Readable {
  let index = 0;
  return new Readable({
    read() {
      const batch: string[] = [];
      for (let i = 0; i < 500 && index < count; i++, index++) {
        batch.push(
          `BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller${index};Anna;;;\r\nFN:Anna Müller${index}\r\nEMAIL:a${index}@firma.de\r\nEND:VCARD\r\n`,
        );
      }
      this.push(batch.length ? batch.join('') : null);
    },
  });
}

/** Whole cards (a few hundred bytes each) up to `bytes`, never more: a size at a limit stays within it. */
export function cardsOfSize(bytes: number): Readable {
  const one =
    'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Anna;;;\r\nFN:Anna Müller\r\nEMAIL;TYPE=WORK:anna.mueller@firma.de\r\nTEL;TYPE=CELL:0171 2345678\r\nADR;TYPE=WORK:;;Hauptstraße 1;Berlin;;10115;Deutschland\r\nNOTE:Kennengelernt auf der Messe in Hannover\\, Halle 4\r\nEND:VCARD\r\n';
  const block = Buffer.from(one.repeat(256));
  let sent = 0;
  return new Readable({
    read() {
      if (sent + block.length > bytes) return void this.push(null);
      sent += block.length;
      this.push(block);
    },
  });
}

/** Cards each carrying a photo of `photoBytes` (base64, folded), `count` of them. */
export function cardsWithPhotos(count: number, photoBytes: number): Readable {
  const base64 = Buffer.alloc(photoBytes, 7).toString('base64').replace(/.{74}/g, '$&\r\n ');
  let index = 0;
  return new Readable({
    read() {
      if (index >= count) return void this.push(null);
      index++;
      this.push(
        `BEGIN:VCARD\r\nVERSION:3.0\r\nN:Foto${index};Anna;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:${base64}\r\nEND:VCARD\r\n`,
      );
    },
  });
}

/** Cards nested inside each other `depth` deep, `count` times. */
export function nestedCards(count: number, depth: number): Readable {
  const nested = `${'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Innen;;;;\r\n'.repeat(depth)}${'END:VCARD\r\n'.repeat(depth)}`;
  let index = 0;
  return new Readable({
    read() {
      this.push(index++ < count ? nested : null);
    },
  });
}

/** `{ "contacts": [ {}, {}, … ] }` with `count` empty contacts, generated on the fly. */
export function emptyContactsBody(count: number): Readable {
  let index = 0;
  return new Readable({
    read() {
      if (index === 0) this.push('{"contacts":[');
      const batch: string[] = [];
      for (let i = 0; i < 10_000 && index < count; i++, index++) batch.push(index ? ',{}' : '{}');
      this.push(batch.length ? batch.join('') : ']}');
      if (!batch.length) this.push(null);
    },
  });
}

/** `count` contacts all called the same, for an export. */
export function sameNameContacts(count: number): string {
  return JSON.stringify({
    contacts: Array.from({ length: count }, (_, i) => ({
      givenName: 'Anna',
      surname: 'Müller',
      ids: { crmId: `AP-${i}` },
    })),
  });
}

/**
 * A `multipart/form-data` body whose one file part carries `content`, as a browser's file
 * input sends it: streamed as `content` is read, never whole in memory.
 */
export function formWithFile(fileName: string, content: Readable): { body: Readable; contentType: string } {
  const boundary = `----crmsync-form-${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/vcard\r\n\r\n`;
  async function* parts(): AsyncIterable<Buffer> {
    yield Buffer.from(head);
    for await (const chunk of content) yield Buffer.from(chunk);
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { body: Readable.from(parts()), contentType: `multipart/form-data; boundary=${boundary}` };
}
