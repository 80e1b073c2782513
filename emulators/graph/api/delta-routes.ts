import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Mailbox, StoredContact } from '../store/mailbox-store.js';
import type { RouteContext } from './contact-routes.js';
import { GraphFailure } from './graph-error.js';
import { contactJson, preferredPageSize, type Query } from './odata-query.js';

/** Where a delta round stands: changes after `since` up to `upto`, the page after `afterId`. */
interface DeltaState {
  mailbox: Mailbox;
  folderId: string;
  /** The first round lists what is there; only later rounds report deletions. */
  initial: boolean;
  since: number;
  upto: number;
  afterId: string;
  select: string | undefined;
  pageSize: number;
}

/**
 * Contacts delta per folder. Tokens live in a bounded cache, as Outlook's do: an evicted or
 * unknown token is answered with 410 SyncStateNotFound, and the client starts over.
 */
export class DeltaTokens {
  private readonly states = new Map<string, DeltaState>();

  constructor(private readonly capacity = 20_000) {}

  remember(state: DeltaState): string {
    const token = randomBytes(24).toString('base64url');
    this.states.set(token, state);
    if (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value!);
    return token;
  }

  recall(token: string): DeltaState | undefined {
    return this.states.get(token);
  }

  /** Forgets every token handed out, as when the service evicts its sync states. */
  expireAll(): void {
    this.states.clear();
  }
}

export function registerDeltaRoutes(app: FastifyInstance, context: RouteContext, tokens: DeltaTokens): void {
  const handler = async (request: FastifyRequest) => {
    const { user, folder } = request.params as { user: string; folder?: string };
    const mailbox = context.store.mailbox(user);
    const folderId = folder ?? mailbox.defaultFolderId;
    mailbox.folder(folderId);
    const query = request.query as Query;
    const path = request.url.split('?')[0]!;
    const token = query.$skiptoken ?? query.$deltatoken;
    let state: DeltaState;
    if (token !== undefined) {
      const known = tokens.recall(token);
      if (!known || known.mailbox !== mailbox || known.folderId !== folderId) {
        throw new GraphFailure(
          410,
          'SyncStateNotFound',
          'The sync state generation is not found; the delta token is expired or unknown.',
          {
            Location: `${context.origin()}${path}`,
          },
        );
      }
      state =
        query.$deltatoken !== undefined
          ? { ...known, initial: false, upto: mailbox.sequence, afterId: '' }
          : known;
    } else {
      state = {
        mailbox,
        folderId,
        initial: true,
        since: 0,
        upto: mailbox.sequence,
        afterId: '',
        select: query.$select,
        pageSize: preferredPageSize(request.headers.prefer, 100),
      };
    }
    const { items, more } = page(mailbox, state);
    const link = `${context.origin()}${path}`;
    const answer: Record<string, unknown> = {
      '@odata.context': `${context.origin()}/v1.0/$metadata#Collection(contact)`,
    };
    const select: Query = state.select === undefined ? {} : { $select: state.select };
    answer.value = items.map((item) =>
      'folderId' in item && !('changeKey' in item)
        ? { '@odata.type': '#microsoft.graph.contact', id: item.id, '@removed': { reason: 'deleted' } }
        : { '@odata.type': '#microsoft.graph.contact', ...contactJson(item as StoredContact, select) },
    );
    if (more) {
      const next = tokens.remember({ ...state, afterId: items.at(-1)!.id });
      answer['@odata.nextLink'] = `${link}?$skiptoken=${next}`;
    } else {
      const delta = tokens.remember({ ...state, since: state.upto, afterId: '' });
      answer['@odata.deltaLink'] = `${link}?$deltatoken=${delta}`;
    }
    return answer;
  };
  app.get('/v1.0/users/:user/contacts/delta', handler);
  app.get('/v1.0/users/:user/contactFolders/:folder/contacts/delta', handler);
}

/** One page of the round: contacts changed and (after the first round) contacts deleted, by id. */
function page(mailbox: Mailbox, state: DeltaState) {
  const inRound = (sequence: number) => sequence > state.since && sequence <= state.upto;
  const changed: ({ id: string } & object)[] = mailbox
    .contactsIn(state.folderId)
    .filter((contact) => inRound(contact.sequence));
  const present = new Set(changed.map((contact) => contact.id));
  // A first round that began on an empty folder ends at sequence 0 too; it is still a first round.
  if (!state.initial) {
    for (const tombstone of mailbox.tombstones)
      if (tombstone.folderId === state.folderId && inRound(tombstone.sequence) && !present.has(tombstone.id))
        changed.push(tombstone);
  }
  const remaining = changed
    .filter((item) => item.id > state.afterId)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items: remaining.slice(0, state.pageSize), more: remaining.length > state.pageSize };
}
