import { type ContactChange, CrmsyncError, type Fetched } from '../../../core/index.js';
import { readInBatches } from './batch-reader.js';
import { errorFromAnswer } from './graph-problems.js';
import type { MailboxChannel } from './mailbox-channel.js';
import { listUrl, type MailboxPaths, readUrl } from './mailbox-paths.js';
import { withPhotos } from './photo-reader.js';

export interface DeltaReaderOptions {
  channel: MailboxChannel;
  /** The Graph base URL (`https://graph.microsoft.com/v1.0`), which every cursor must lie under. */
  baseUrl: string;
  paths: MailboxPaths;
}

/** Above this many changed contacts, listing the folder is cheaper than reading each one. */
const listInsteadAbove = 100;
const deltaPageSize = 500;
/** Changed contacts read and handed on at a time, so a large round is never held whole. */
const readChunk = 200;

/**
 * The change feed through Graph's delta query on the folder. The cursor is the deltaLink
 * Graph handed out; delta answers carry no extended properties (the CRM id), so changed
 * contacts are read again with them, in batches, and with their photos where they have one.
 */
export class DeltaReader {
  constructor(private readonly options: DeltaReaderOptions) {}

  async *changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange>> {
    const { channel } = this.options;
    let link = cursor === undefined ? `${this.options.paths.delta}?$select=id` : this.checkedCursor(cursor);
    const changes = new Map<string, 'upserted' | 'deleted'>();
    let deltaLink: string | undefined;
    while (!deltaLink) {
      const answer = await channel.get(link, { Prefer: `odata.maxpagesize=${deltaPageSize}` });
      if (answer.status !== 200)
        throw errorFromAnswer(answer.status, answer.body, 'reading Outlook changes', channel.where);
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
          channel.where,
        );
    }
    const upserted = [...changes].filter(([, type]) => type === 'upserted').map(([id]) => id);
    yield* this.read(upserted);
    for (const [id, type] of changes)
      if (type === 'deleted') yield { ok: true, value: { type: 'deleted', id } };
    yield { ok: true, value: { type: 'checkpoint', cursor: deltaLink } };
  }

  /** Changed contacts with their CRM id and photo; one that vanished since is left to the next round. */
  private async *read(ids: string[]): AsyncIterable<Fetched<ContactChange>> {
    const { channel, paths } = this.options;
    const listed = ids.length > listInsteadAbove ? await this.listFolder(new Set(ids)) : undefined;
    for (let start = 0; start < ids.length; start += readChunk) {
      const chunk = ids.slice(start, start + readChunk);
      const items = listed
        ? chunk.map((id) => listed.get(id))
        : (
            await readInBatches(
              chunk.map((id) => readUrl(paths, id)),
              channel,
            )
          ).map((answer) => (answer.status === 200 ? (answer.body as Record<string, unknown>) : undefined));
      const found = items.filter((item): item is Record<string, unknown> => item !== undefined);
      for (const fetched of await withPhotos(found, channel, paths))
        yield fetched.ok ? { ok: true, value: { type: 'upserted', contact: fetched.value } } : fetched;
    }
  }

  private async listFolder(wanted: Set<string>): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    for await (const page of this.options.channel.pages(
      listUrl(this.options.paths),
      'listing Outlook contacts',
    ))
      for (const item of page) if (wanted.has(item.id as string)) found.set(item.id as string, item);
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
        this.options.channel.where,
      );
    return cursor;
  }
}
