import {
  type Contact,
  type CreateOperation,
  type ErrorCode,
  type Logger,
  type OperationSource,
  type Photo,
  photoHash,
  type UpdateOperation,
  type WriteOperation,
  type WriteOutcome,
} from '../../../core/index.js';
import { fromGraphContact, toGraphContact, withWrittenExtras } from './contact-mapping.js';
import { crmIdFilter } from './crm-id-property.js';
import { codeForStatus, errorFromAnswer, graphErrorOf, isTransient } from './graph-problems.js';
import { headerValue } from './header-value.js';
import type { MailboxChannel } from './mailbox-channel.js';
import { retryAfterMs, throttledAllowance } from './mailbox-pacer.js';
import { type MailboxPaths, readUrl } from './mailbox-paths.js';
import { photoFromAnswer } from './photo-reader.js';

/** Graph refuses requests over 4 MB, so a larger photo is never sent. */
export const maxPhotoBytes = 4 * 1024 * 1024;

interface InnerRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface InnerAnswer {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One round of one operation: requests sent together (each depending on the one before) and what follows from their answers. */
interface Step {
  requests: InnerRequest[];
  /** Whether the same requests may be sent again when their fate is unknown (a 5xx, a lost answer). */
  repeatable: boolean;
  /** What to do instead when the step is not repeatable and its fate is unknown. */
  afterUnknown?: () => Step | WriteOutcome;
  settle(answers: InnerAnswer[]): Step | WriteOutcome;
}

interface Task {
  operation: WriteOperation;
  step: Step;
  attempts: number;
  /** Refusals with 429, counted apart: a refused request never ran, so it is tried more often. */
  throttled?: number;
  /** The transient failure seen last, reported when the attempts run out. */
  lastFailure?: { code: ErrorCode; message: string };
}

export interface BatchWriterOptions {
  channel: MailboxChannel;
  paths: MailboxPaths;
  logger?: Logger;
  /** How often one operation is tried before it is reported as failed (and retryable). */
  maxAttempts?: number;
  /** First wait after a 5xx without Retry-After; doubled each time up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

const isOk = (status: number) => status >= 200 && status < 300;
const jsonHeaders = { 'Content-Type': 'application/json' };

/**
 * Writes operations through JSON batches of up to 20 requests. Graph's client does not look
 * inside a batch, so throttled (429) and unavailable (5xx) requests in it are retried here:
 * only those, after the longest Retry-After, and only when repeating them cannot write twice;
 * a create whose fate is unknown is first looked for by its CRM id.
 */
export class BatchWriter {
  /** Outcomes by idempotency key, so an operation repeated in this process is answered, not redone. */
  private readonly done = new Map<string, WriteOutcome>();
  private readonly maxAttempts: number;

  constructor(private readonly options: BatchWriterOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** The outcome of an earlier create with this key, if this process made it. */
  earlier(key: string): WriteOutcome | undefined {
    return this.done.get(key);
  }

  async *apply(operations: OperationSource): AsyncIterable<WriteOutcome> {
    const source = (Symbol.asyncIterator in operations ? operations : toAsync(operations))[
      Symbol.asyncIterator
    ]();
    const queue: Task[] = [];
    let exhausted = false;
    for (;;) {
      const size = await this.options.channel.pacer.nextBatchSize();
      while (!exhausted && requestCount(queue) < size) {
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const start = this.start(next.value);
        if ('ok' in start) yield this.remember(start);
        else queue.push({ operation: next.value, step: start, attempts: 0 });
      }
      if (queue.length === 0) return;
      const batch: Task[] = [];
      while (
        queue.length > 0 &&
        (batch.length === 0 || requestCount(batch) + queue[0]!.step.requests.length <= size)
      )
        batch.push(queue.shift()!);
      const { finished, again, waitMs } = await this.send(batch);
      for (const outcome of finished) yield this.remember(outcome);
      queue.unshift(...again);
      if (waitMs > 0) await this.options.channel.sleep(waitMs);
    }
  }

  private remember(outcome: WriteOutcome): WriteOutcome {
    if (outcome.ok) {
      this.done.set(outcome.key, outcome);
      // A long run must not keep every key: the journal's findCreated covers older ones.
      if (this.done.size > 20_000) this.done.delete(this.done.keys().next().value!);
    }
    return outcome;
  }

  private start(operation: WriteOperation): Step | WriteOutcome {
    const earlier = this.done.get(operation.key);
    if (earlier?.ok) return { ...earlier, replayed: true };
    const { paths } = this.options;
    switch (operation.kind) {
      case 'create':
        return this.createStep(operation);
      case 'update': {
        if (!operation.expectedVersion) return this.noVersion(operation);
        const { body, leftOut } = toGraphContact(operation.contact);
        this.reportLeftOut(operation.id, leftOut);
        return this.updateStep(operation, body);
      }
      case 'delete':
        if (!operation.expectedVersion) return this.noVersion(operation);
        return {
          requests: [
            {
              method: 'DELETE',
              url: paths.item(operation.id),
              headers: { 'If-Match': etag(operation.expectedVersion) },
            },
          ],
          repeatable: true,
          // A contact already gone is what the delete wanted (a resumed commit repeats deletes).
          settle: ([answer]) =>
            isOk(answer!.status) || answer!.status === 404
              ? { ok: true, key: operation.key, kind: 'delete', id: operation.id }
              : this.failed(operation, answer!),
        };
      case 'photo': {
        if (!operation.expectedVersion) return this.noVersion(operation);
        const refused = photoRefusal(operation.photo);
        if (refused) return this.refused(operation, refused.code, refused.message);
        return this.photoStep(operation, operation.id, operation.expectedVersion, operation.photo);
      }
    }
  }

  private createStep(operation: CreateOperation): Step {
    const { body, leftOut } = toGraphContact(operation.contact);
    this.reportLeftOut(operation.contact.ids.crmId ?? operation.key, leftOut);
    const crmId = operation.contact.ids.crmId;
    const photo = operation.contact.photo;
    const afterCreate = (id: string, version: string, created: unknown): Step | WriteOutcome => {
      const refused = photo && photoRefusal(photo);
      if (refused)
        this.options.logger?.warn({ id }, `${refused.message}; the contact was created without it`);
      if (!photo || refused) return this.succeeded(operation, created, crmId);
      return this.photoStep(operation, id, version, photo, created);
    };
    const post: Step = {
      requests: [{ method: 'POST', url: this.options.paths.contacts, headers: jsonHeaders, body }],
      repeatable: false,
      afterUnknown: () => lookup,
      settle: ([answer]) => {
        if (!isOk(answer!.status)) return this.failed(operation, answer!);
        const created = answer!.body as { id: string; changeKey: string };
        return afterCreate(created.id, created.changeKey, created);
      },
    };
    // After an answer that was lost, the create may have happened: look for its stamp first.
    const lookup: Step = {
      requests: [
        {
          method: 'GET',
          url: `${this.options.paths.contacts}?$filter=${encodeURIComponent(crmIdFilter(crmId ?? ''))}&$select=id,changeKey`,
        },
      ],
      repeatable: true,
      settle: ([answer]) => {
        if (!isOk(answer!.status)) return this.failed(operation, answer!);
        const found = ((answer!.body as { value?: { id: string; changeKey: string }[] }).value ?? [])[0];
        return found ? afterCreate(found.id, found.changeKey, found) : post;
      },
    };
    if (!crmId) {
      // Without a stamp a lost answer cannot be checked, so the create is not repeated blindly.
      post.afterUnknown = () =>
        this.refused(
          operation,
          'CRMSYNC_ERR_OUTLOOK_UNREACHABLE',
          'the create may or may not have happened; it carries no CRM id to check',
          true,
        );
    }
    return post;
  }

  /**
   * A PATCH under If-Match. After an answer that was lost it may have happened, and then its
   * repetition meets the change key of its own write and is refused (412), as it would be after
   * a person's edit: only what the contact holds now tells the two apart.
   */
  private updateStep(operation: UpdateOperation, body: Record<string, unknown>): Step {
    const { paths } = this.options;
    const patch: InnerRequest = {
      method: 'PATCH',
      url: paths.item(operation.id),
      headers: { ...jsonHeaders, 'If-Match': etag(operation.expectedVersion!) },
      body,
    };
    const settle = (answer: InnerAnswer): WriteOutcome =>
      isOk(answer.status)
        ? this.succeeded(operation, answer.body, operation.contact.ids.crmId)
        : this.failed(operation, answer);
    const check = (refusal: InnerAnswer): Step => ({
      requests: [{ method: 'GET', url: readUrl(paths, operation.id) }],
      repeatable: true,
      settle: ([answer]) =>
        isOk(answer!.status) && holdsWrite(answer!.body, body)
          ? this.succeeded(operation, answer!.body, operation.contact.ids.crmId)
          : this.failed(operation, refusal),
    });
    const repeat: Step = {
      requests: [patch],
      repeatable: true,
      settle: ([answer]) => (answer!.status === 412 ? check(answer!) : settle(answer!)),
    };
    return {
      requests: [patch],
      repeatable: false,
      afterUnknown: () => repeat,
      settle: ([answer]) => settle(answer!),
    };
  }

  /** Sets or removes a photo, then reads the contact's new version in the same batch. */
  private photoStep(
    operation: WriteOperation,
    id: string,
    version: string,
    photo: Photo | undefined,
    created?: unknown,
  ): Step {
    const { paths } = this.options;
    const readVersion: InnerRequest = { method: 'GET', url: `${paths.item(id)}?$select=id,changeKey` };
    const versionOnly: Step = {
      requests: [readVersion],
      repeatable: true,
      settle: ([answer]) =>
        isOk(answer!.status)
          ? this.succeeded(operation, mergeVersion(created, answer!.body), undefined, id)
          : this.failed(operation, answer!, id),
    };
    const write: InnerRequest = photo
      ? {
          method: 'PUT',
          url: paths.photo(id),
          headers: { 'Content-Type': imageType(photo), 'If-Match': etag(version) },
          body: Buffer.from(photo.bytes!).toString('base64'),
        }
      : { method: 'DELETE', url: paths.photo(id), headers: { 'If-Match': etag(version) } };
    const notWritten = (refusal: InnerAnswer): WriteOutcome => {
      if (!created) return this.failed(operation, refusal, id);
      // The contact exists; only its photo is missing, which the next sync tries again.
      this.options.logger?.warn(
        { id, status: refusal.status, graphCode: graphErrorOf(refusal.body).code },
        'the photo of a new Outlook contact could not be stored',
      );
      return this.succeeded(operation, created, undefined, id);
    };
    const settle = ([written, read]: InnerAnswer[]): Step | WriteOutcome => {
      if (!isOk(written!.status)) return notWritten(written!);
      return read && isOk(read.status)
        ? this.succeeded(operation, mergeVersion(created, read.body), undefined, id)
        : versionOnly;
    };
    // After a lost answer the write may have happened, and then its repetition meets the change
    // key of its own write (412), as it would after a person's edit: the photo the contact holds
    // now tells the two apart.
    const check = (refusal: InnerAnswer): Step => ({
      requests: [{ method: 'GET', url: paths.photo(id) }],
      repeatable: true,
      settle: ([answer]) => {
        if (answer!.status !== 404 && !isOk(answer!.status)) return this.failed(operation, answer!, id);
        const held = photoFromAnswer(answer);
        const same = photo ? held?.hash === photoHash(photo.bytes!) : held === undefined;
        return same ? versionOnly : notWritten(refusal);
      },
    });
    const repeat: Step = {
      requests: [write, readVersion],
      repeatable: true,
      settle: (answers) => (answers[0]!.status === 412 ? check(answers[0]!) : settle(answers)),
    };
    return { requests: [write, readVersion], repeatable: false, afterUnknown: () => repeat, settle };
  }

  /** Sends one batch and sorts its tasks into finished ones and ones to send again. */
  private async send(batch: Task[]): Promise<{ finished: WriteOutcome[]; again: Task[]; waitMs: number }> {
    const requests: Record<string, unknown>[] = [];
    batch.forEach((task, taskIndex) => {
      task.step.requests.forEach((request, index) => {
        requests.push({
          id: `${taskIndex}.${index}`,
          ...request,
          ...(index > 0 ? { dependsOn: [`${taskIndex}.${index - 1}`] } : {}),
        });
      });
    });
    const finished: WriteOutcome[] = [];
    const again: Task[] = [];
    let waitMs = 0;
    const retry = (
      task: Task,
      failure: { code: ErrorCode; message: string },
      next: Step | WriteOutcome = task.step,
    ) => {
      task.attempts++;
      task.lastFailure = failure;
      if ('ok' in next) finished.push(next);
      else if (task.attempts >= this.maxAttempts) finished.push(this.gaveUp(task));
      else again.push({ ...task, step: next });
    };
    const throttled = (task: Task, failure: { code: ErrorCode; message: string }) => {
      task.throttled = (task.throttled ?? 0) + 1;
      task.lastFailure = failure;
      if (task.throttled >= this.maxAttempts * throttledAllowance) finished.push(this.gaveUp(task));
      else again.push(task);
    };
    const unknown = (task: Task, failure: { code: ErrorCode; message: string }) =>
      retry(
        task,
        failure,
        task.step.repeatable || !task.step.afterUnknown ? task.step : task.step.afterUnknown(),
      );

    let answer: Awaited<ReturnType<MailboxChannel['send']>>;
    try {
      answer = await this.options.channel.send(
        { method: 'POST', url: '/$batch', headers: jsonHeaders, body: { requests } },
        requests.length,
      );
    } catch (error) {
      const failure = {
        code: 'CRMSYNC_ERR_OUTLOOK_UNREACHABLE' as const,
        message: (error as Error & { reason?: string }).reason ?? (error as Error).message,
      };
      for (const task of batch) unknown(task, failure);
      return { finished, again, waitMs: this.backoff(batch) };
    }
    if (answer.status !== 200) {
      const graph = graphErrorOf(answer.body);
      const failure = {
        code: codeForStatus(answer.status, graph.code),
        message: `the batch was answered ${answer.status} ${graph.code}: ${graph.message}`,
      };
      if (!isTransient(answer.status)) {
        for (const task of batch) finished.push(this.refused(task.operation, failure.code, failure.message));
        return { finished, again, waitMs: 0 };
      }
      // An outer 429 ran nothing; after an outer 5xx nothing is known about the requests.
      for (const task of batch) (answer.status === 429 ? throttled : unknown)(task, failure);
      const after = retryAfterMs(headerValue(answer.headers, 'Retry-After'));
      return { finished, again, waitMs: after ?? this.backoff(batch) };
    }

    const answers = new Map(
      ((answer.body as { responses?: InnerAnswer[] })?.responses ?? []).map((inner) => [inner.id, inner]),
    );
    batch.forEach((task, taskIndex) => {
      const mine = task.step.requests.map(
        (_request, index) =>
          answers.get(`${taskIndex}.${index}`) ?? { id: `${taskIndex}.${index}`, status: 502 },
      );
      const first = mine[0]!;
      if (isTransient(first.status)) {
        const graph = graphErrorOf(first.body);
        const failure = {
          code: codeForStatus(first.status, graph.code),
          message: `${first.status} ${graph.code}: ${graph.message}`,
        };
        const after = retryAfterMs(headerValue(first.headers, 'Retry-After'));
        waitMs = Math.max(waitMs, after ?? this.backoff([task]));
        (first.status === 429 ? throttled : unknown)(task, failure);
        return;
      }
      const next = task.step.settle(mine);
      // A step that leads to the next one (a lookup, then the create) made progress: no attempt is spent.
      if ('ok' in next) finished.push(next);
      else again.push({ ...task, step: next });
    });
    this.options.channel.pacer.observe(answers.values());
    return { finished, again, waitMs };
  }

  private backoff(tasks: Task[]): number {
    const attempts = Math.max(1, ...tasks.map((task) => task.attempts));
    const base = this.options.baseDelayMs ?? 500;
    return Math.min(this.options.maxDelayMs ?? 30_000, base * 2 ** (attempts - 1));
  }

  private succeeded(
    operation: WriteOperation,
    body: unknown,
    crmId: string | undefined,
    fallbackId?: string,
  ): WriteOutcome {
    const graph = (body ?? {}) as Record<string, unknown>;
    const contact: Contact = fromGraphContact(graph);
    if (operation.kind === 'create' || operation.kind === 'update')
      withWrittenExtras(contact, operation.contact);
    if (crmId) contact.ids.crmId = crmId;
    const id = (graph.id as string | undefined) ?? fallbackId ?? ('id' in operation ? operation.id : '');
    const version = graph.changeKey as string | undefined;
    return {
      ok: true,
      key: operation.key,
      kind: operation.kind,
      id,
      ...(version ? { version } : {}),
      ...(graph.changeKey && 'displayName' in graph ? { contact } : {}),
    };
  }

  private failed(operation: WriteOperation, answer: InnerAnswer, id?: string): WriteOutcome {
    const recordId = id ?? ('id' in operation ? operation.id : undefined);
    const error = errorFromAnswer(answer.status, answer.body, `${operation.kind} of an Outlook contact`, {
      ...this.options.channel.where,
      ...(recordId ? { recordId } : {}),
    });
    return {
      ok: false,
      key: operation.key,
      kind: operation.kind,
      problem: { code: error.code, message: error.reason, location: error.location },
      retryable: isTransient(answer.status),
    };
  }

  private refused(
    operation: WriteOperation,
    code: ErrorCode,
    message: string,
    retryable = false,
  ): WriteOutcome {
    const location = {
      ...this.options.channel.where,
      ...('id' in operation ? { recordId: operation.id } : {}),
    };
    return {
      ok: false,
      key: operation.key,
      kind: operation.kind,
      problem: { code, message, location },
      retryable,
    };
  }

  private noVersion(operation: WriteOperation): WriteOutcome {
    return this.refused(
      operation,
      'CRMSYNC_ERR_NO_VERSION',
      `a ${operation.kind} must say which version of the Outlook contact it is based on`,
    );
  }

  private gaveUp(task: Task): WriteOutcome {
    const failure = task.lastFailure ?? { code: 'CRMSYNC_ERR_OUTLOOK_HTTP' as const, message: 'no answer' };
    return this.refused(
      task.operation,
      failure.code,
      `gave up after ${task.attempts + (task.throttled ?? 0)} attempts: ${failure.message}`,
      true,
    );
  }

  private reportLeftOut(record: string, leftOut: string[]): void {
    if (leftOut.length > 0)
      this.options.logger?.warn(
        { record, fields: leftOut },
        'values that do not fit into an Outlook contact stay on the CRM side',
      );
  }
}

function photoRefusal(photo: Photo | undefined): { code: ErrorCode; message: string } | undefined {
  if (!photo) return undefined;
  if (!photo.bytes)
    return {
      code: 'CRMSYNC_ERR_PHOTO_NO_BYTES',
      message: 'a photo given only by reference cannot be uploaded to Outlook',
    };
  if (photo.bytes.length > maxPhotoBytes)
    return {
      code: 'CRMSYNC_ERR_OUTLOOK_PHOTO_TOO_LARGE',
      message: `the photo has ${photo.bytes.length} bytes; Outlook takes at most ${maxPhotoBytes}`,
    };
  return undefined;
}

/** Outlook takes images only: a photo sent as bytes of unknown type is named by its first bytes. */
function imageType(photo: Photo): string {
  if (/^image\//i.test(photo.mediaType)) return photo.mediaType;
  const bytes = photo.bytes!;
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  return 'image/jpeg';
}

function mergeVersion(created: unknown, read: unknown): unknown {
  return created ? { ...(created as object), changeKey: (read as { changeKey: string }).changeKey } : read;
}

/** Whether a contact as Graph holds it now carries every property an update wrote, read through the same mapping. */
function holdsWrite(stored: unknown, written: Record<string, unknown>): boolean {
  const now = toGraphContact(fromGraphContact(stored as Record<string, unknown>)).body;
  return JSON.stringify(now) === JSON.stringify(written);
}

function etag(version: string): string {
  return version.startsWith('W/') || version.startsWith('"') ? version : `W/"${version}"`;
}

function requestCount(tasks: Task[]): number {
  return tasks.reduce((sum, task) => sum + task.step.requests.length, 0);
}

async function* toAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  yield* items;
}
