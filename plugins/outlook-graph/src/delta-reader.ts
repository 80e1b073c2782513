import {
  type Contact,
  type ContactChange,
  CrmsyncError,
  type Fetched,
  type ProblemLocation,
} from '../../../core/index.js';
import { photoFromAnswer, readInBatches } from './batch-reader.js';
import type { MailboxPaths } from './batch-writer.js';
import { fromGraphContact, selectMapped } from './contact-mapping.js';
import { expandMapped } from './crm-id-property.js';
import type { GraphConnection } from './graph/graph-client.js';
import { errorFromAnswer } from './graph-problems.js';
import type { MailboxPacer, Sleep } from './mailbox-pacer.js';

export interface DeltaReaderOptions {
  connection: GraphConnection;
  pacer: MailboxPacer;
  sleep: Sleep;
  where: ProblemLocation;
  /** The Graph base URL (`https://graph.microsoft.com/v1.0`), which every cursor must lie under. */
  baseUrl: string;
  paths: MailboxPaths & { delta: string };
}

/** Above this many changed contacts, listing the folder is cheaper than reading each one. */
const listInsteadAbove = 100;
const deltaPageSize = 500;

/**
 * The change feed through Graph's delta query on the folder. The cursor is the deltaLink
 * Graph handed out; delta answers carry no extended properties (the CRM id), so changed
 * contacts are read again with them, and with their photos, in batches.
 */
export class DeltaReader {
  constructor(private readonly options: DeltaReaderOptions) {}

  async *changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange>> {
    const { connection, pacer, where } = this.options;
    let link = cursor === undefined ? `${this.options.paths.delta}?$select=id` : this.checkedCursor(cursor);
    const changes = new Map<string, 'upserted' | 'deleted'>();
    let deltaLink: string | undefined;
    while (!deltaLink) {
      const answer = await pacer.run(() =>
        connection.send({
          method: 'GET',
          url: link,
          headers: { Prefer: `odata.maxpagesize=${deltaPageSize}` },
        }),
      );
      if (answer.status !== 200)
        throw errorFromAnswer(answer.status, answer.body, 'reading Outlook changes', where);
      const page = answer.body as {
        value?: { id: string; '@removed'?: unknown }[];
        '@odata.nextLink'?: string;
        '@odata.deltaLink'?: string;
      };
      for (const item of page.value ?? []) {
        changes.delete(item.id);
        changes.set(item.id, item['@removed'] ? 'deleted' : 'upserted');
      }
      if (page['@odata.nextLink']) link = page['@odata.nextLink'];
      else if (page['@odata.deltaLink']) deltaLink = page['@odata.deltaLink'];
      else
        throw new CrmsyncError(
          'CRMSYNC_ERR_OUTLOOK_HTTP',
          'a delta page carried neither a next nor a delta link',
          where,
        );
    }
    const upserted = [...changes].filter(([, type]) => type === 'upserted').map(([id]) => id);
    for await (const contact of this.read(upserted)) yield contact;
    for (const [id, type] of changes)
      if (type === 'deleted') yield { ok: true, value: { type: 'deleted', id } };
    yield { ok: true, value: { type: 'checkpoint', cursor: deltaLink } };
  }

  /** Changed contacts with their CRM id and photo; one that vanished since is left to the next round. */
  private async *read(ids: string[]): AsyncIterable<Fetched<ContactChange>> {
    const { paths } = this.options;
    const known = ids.length > listInsteadAbove ? await this.listFolder(new Set(ids)) : undefined;
    for (let start = 0; start < ids.length; start += 200) {
      const chunk = ids.slice(start, start + 200);
      const urls = chunk.flatMap((id) => [
        ...(known ? [] : [`${paths.item(id)}?$select=${selectMapped}&$expand=${expandMapped}`]),
        paths.photo(id),
      ]);
      const answers = await readInBatches(urls, this.options);
      const step = known ? 1 : 2;
      for (let index = 0; index < chunk.length; index++) {
        const id = chunk[index]!;
        const json = known ? known.get(id) : ok(answers[index * step]);
        if (!json) continue;
        const contact: Contact = fromGraphContact(json);
        const photo = photoFromAnswer(answers[index * step + step - 1]);
        if (photo) contact.photo = photo;
        yield { ok: true, value: { type: 'upserted', contact } };
      }
    }
  }

  private async listFolder(wanted: Set<string>): Promise<Map<string, Record<string, unknown>>> {
    const { connection, pacer, where, paths } = this.options;
    const found = new Map<string, Record<string, unknown>>();
    let link: string | undefined =
      `${paths.contacts}?$top=1000&$select=${selectMapped}&$expand=${expandMapped}`;
    while (link) {
      const url: string = link;
      const answer = await pacer.run(() => connection.send({ method: 'GET', url }));
      if (answer.status !== 200)
        throw errorFromAnswer(answer.status, answer.body, 'listing Outlook contacts', where);
      const page = answer.body as { value?: Record<string, unknown>[]; '@odata.nextLink'?: string };
      for (const item of page.value ?? [])
        if (wanted.has(item.id as string)) found.set(item.id as string, item);
      link = page['@odata.nextLink'];
    }
    return found;
  }

  /**
   * A cursor must be a delta link of contacts on this service; anything else is refused, not
   * followed. Graph may spell the path its own way (`users('…')`), so the folder is not
   * compared: the state store keeps cursors per account.
   */
  private checkedCursor(cursor: string): string {
    const base = new URL(this.options.baseUrl);
    let url: URL | undefined;
    try {
      url = new URL(cursor);
    } catch {
      url = undefined;
    }
    const path = url ? decodeURIComponent(url.pathname).toLowerCase() : '';
    const basePath = decodeURIComponent(base.pathname).toLowerCase().replace(/\/$/, '');
    if (
      !url ||
      url.origin !== base.origin ||
      !path.startsWith(`${basePath}/`) ||
      !path.endsWith('/contacts/delta') ||
      !/[?&](\$|%24)deltatoken=/i.test(url.search)
    )
      throw new CrmsyncError(
        'CRMSYNC_ERR_CURSOR_INVALID',
        'the change cursor is not a delta link of Outlook contacts',
        this.options.where,
      );
    return cursor;
  }
}

function ok(answer: { status: number; body?: unknown } | undefined): Record<string, unknown> | undefined {
  return answer && answer.status === 200 ? (answer.body as Record<string, unknown>) : undefined;
}
