import { photoHash } from '../../domain/photo-hash.js';
import type { BlobRepository } from '../state-store.js';
import type { StoreContext } from '../store-context.js';

export class SqlBlobRepository implements BlobRepository {
  constructor(private readonly context: StoreContext) {}

  async put(mediaType: string, bytes: Uint8Array): Promise<string> {
    const hash = photoHash(bytes);
    await this.context.db
      .insertInto('blobs')
      .values({ hash, media_type: mediaType, bytes, stored_at: this.context.now() })
      // Stored again: the grace period of garbage collection starts anew.
      .onConflict((conflict) => conflict.column('hash').doUpdateSet({ stored_at: this.context.now() }))
      .execute();
    return hash;
  }

  async get(hash: string): Promise<{ mediaType: string; bytes: Uint8Array } | undefined> {
    const row = await this.context.db
      .selectFrom('blobs')
      .select(['media_type', 'bytes'])
      .where('hash', '=', hash)
      .executeTakeFirst();
    if (!row) return undefined;
    // Drivers answer a Node.js Buffer; callers get the plain bytes they stored.
    const bytes = row.bytes;
    return {
      mediaType: row.media_type,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    };
  }

  async collectGarbage(options: { graceMs?: number } = {}): Promise<number> {
    const storedBefore = this.context.now() - (options.graceMs ?? DEFAULT_GRACE_MS);
    const result = await this.context.db
      .deleteFrom('blobs')
      .where('stored_at', '<=', storedBefore)
      .where(({ and, not, exists, selectFrom, ref }) =>
        and(
          blobReferences.map(([table, column]) =>
            not(exists(selectFrom(table).select(column).where(column, '=', ref('blobs.hash')))),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

const DEFAULT_GRACE_MS = 60 * 60 * 1000;

/** Every column that names a blob; a blob none of them names is garbage. */
const blobReferences = [
  ['links', 'photo_hash'],
  ['plan_items', 'crm_photo_hash'],
  ['plan_items', 'groupware_photo_hash'],
  ['journal', 'before_photo_hash'],
  ['journal', 'intent_photo_hash'],
] as const;
