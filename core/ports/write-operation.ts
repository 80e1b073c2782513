import type { Contact, Photo } from '../domain/contact.js';
import type { ErrorCode } from '../domain/error-catalogue.js';
import { CrmsyncError, problemFromError } from '../domain/errors.js';
import type { ProblemLocation, RecordProblem } from '../domain/problem.js';

/**
 * One write to a contact store. Every operation carries an idempotency key chosen by the
 * caller (the commit journal), unique per intended change, so a resumed commit can ask
 * whether it already happened. Every operation on an existing contact carries the version it
 * is based on: a store never silently reads the current version and overwrites it.
 */
export type WriteOperation = CreateOperation | UpdateOperation | DeleteOperation | PhotoOperation;

export interface CreateOperation {
  kind: 'create';
  key: string;
  /** Written with its photo, when it has one; the stamp it carries (E5, I10) identifies it later. */
  contact: Contact;
}

export interface UpdateOperation {
  kind: 'update';
  key: string;
  id: string;
  /** The version the change is based on; a stale one fails the operation with a stale-version problem. */
  expectedVersion: string;
  contact: Contact;
}

export interface DeleteOperation {
  kind: 'delete';
  key: string;
  id: string;
  expectedVersion: string;
}

export interface PhotoOperation {
  kind: 'photo';
  key: string;
  id: string;
  expectedVersion: string;
  /** The new photo, or undefined to remove it. */
  photo: Photo | undefined;
}

/**
 * What became of one operation, carrying its key (outcomes of a batch may arrive in another
 * order than their operations). A failed operation never stops the others.
 */
export type WriteOutcome =
  | {
      ok: true;
      key: string;
      kind: WriteOperation['kind'];
      /** The contact's id on this store (for a create: the new id). */
      id: string;
      /** The contact's version after the write; absent after a delete. */
      version?: string;
      /** The contact as the store holds it after the write, when the store answers with it. */
      contact?: Contact;
      /** True when the store recognised the key and answered with an earlier write's result. */
      replayed?: boolean;
    }
  | {
      ok: false;
      key: string;
      kind: WriteOperation['kind'];
      problem: RecordProblem;
      /** True when trying the same operation again later may succeed (unreachable, throttled). */
      retryable: boolean;
    };

/** A store's one way of carrying out each kind of operation. */
export interface OperationHandlers {
  create(operation: CreateOperation): Promise<WriteOutcome>;
  update(operation: UpdateOperation): Promise<WriteOutcome>;
  delete(operation: DeleteOperation): Promise<WriteOutcome>;
  photo(operation: PhotoOperation): Promise<WriteOutcome>;
}

/**
 * Carries out one operation by its kind; an operation of a kind no store knows (sent by a
 * caller outside the type system) fails with `CRMSYNC_ERR_REQUEST_INVALID` naming the kind.
 */
export function applyByKind(operation: WriteOperation, handlers: OperationHandlers): Promise<WriteOutcome> {
  switch (operation.kind) {
    case 'create':
      return handlers.create(operation);
    case 'update':
      return handlers.update(operation);
    case 'delete':
      return handlers.delete(operation);
    case 'photo':
      return handlers.photo(operation);
    default:
      return Promise.reject(
        new CrmsyncError(
          'CRMSYNC_ERR_REQUEST_INVALID',
          `unknown operation kind ${JSON.stringify((operation as { kind: unknown }).kind)}`,
        ),
      );
  }
}

export type OperationSource = AsyncIterable<WriteOperation> | Iterable<WriteOperation>;

/**
 * The outcome of an operation that threw: the error as a problem located at `where` and the
 * operation's record, and whether the same operation may succeed later.
 */
export function failedOutcome(
  operation: WriteOperation,
  error: unknown,
  where: ProblemLocation,
  retryable: (code: ErrorCode) => boolean,
): WriteOutcome {
  const location = { ...where };
  if ('id' in operation && typeof operation.id === 'string' && operation.id) location.recordId = operation.id;
  const problem = problemFromError(error, location);
  return { ok: false, key: operation.key, kind: operation.kind, problem, retryable: retryable(problem.code) };
}
