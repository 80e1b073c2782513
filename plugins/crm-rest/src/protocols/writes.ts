import {
  applyByKind,
  ConcurrencyError,
  type Contact,
  type CreateOperation,
  CrmsyncError,
  type DeleteOperation,
  type ErrorCode,
  failedOutcome,
  type OperationSource,
  type PhotoOperation,
  problemFromError,
  type UpdateOperation,
  type WriteOperation,
  type WriteOutcome,
} from '../../../../core/index.js';
import { type CrmRecords, label, withId } from '../crm-records.js';
import { getAt } from '../mapping/json-pointer.js';
import { extensionOf } from '../mapping/raw-record.js';
import type { PhotoEndpoint } from './photo-endpoint.js';

/** Failures that may pass when the same operation is tried again later. */
const retryableCodes: ReadonlySet<ErrorCode> = new Set([
  'CRMSYNC_ERR_CRM_UNREACHABLE',
  'CRMSYNC_ERR_CRM_THROTTLED',
]);

type Success = Extract<WriteOutcome, { ok: true }>;

/**
 * Write operations against the CRM, one at a time, each answered by an outcome. Every change to
 * an existing contact is based on the version the caller names: nothing reads the current
 * version and overwrites what someone else changed meanwhile.
 */
export class Writes {
  constructor(
    private readonly crm: CrmRecords,
    private readonly photos: PhotoEndpoint,
  ) {}

  async *apply(operations: OperationSource): AsyncIterable<WriteOutcome> {
    for await (const operation of operations) yield await this.applyOne(operation);
  }

  /** The contact an earlier create with this operation's key made, when the profile can ask. */
  async findCreated(operation: CreateOperation): Promise<Contact | undefined> {
    const endpoint = this.crm.profile.endpoints.findCreated;
    if (!endpoint) return undefined;
    const where = label(endpoint);
    const { status, body } = await this.crm.http.json({
      method: endpoint.method ?? 'GET',
      path: withId(endpoint.path, operation.key, '{key}'),
      endpoint: where,
      accept: [404],
    });
    if (status === 404) return undefined;
    return this.crm.contactOrThrow(getAt(body, endpoint.record ?? ''), where);
  }

  private async applyOne(operation: WriteOperation): Promise<WriteOutcome> {
    try {
      return await applyByKind(operation, {
        create: (create) => this.create(create),
        update: (update) => this.update(update),
        delete: (remove) => this.delete(remove),
        photo: (photo) => this.photo(photo),
      });
    } catch (error) {
      return failedOutcome(operation, error, {}, (code) => retryableCodes.has(code));
    }
  }

  private async create(operation: CreateOperation): Promise<Success> {
    const endpoint = this.crm.require('createContact');
    const where = label(endpoint, 'POST');
    const photo = operation.contact.photo;
    // Refused before anything is sent, so no contact is left without the photo it was meant to have.
    if (photo && !this.crm.profile.endpoints.photo) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CRM_RECORD',
        'the CRM profile has no photo endpoint, so the photo has no place',
        {
          endpoint: where,
          field: 'photo',
          file: this.crm.profileFile,
          pointer: '/endpoints/photo',
        },
      );
    }
    if (photo && !photo.bytes) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_PHOTO_NO_BYTES',
        'a photo given only by reference cannot be uploaded',
        {
          endpoint: where,
          field: 'photo',
        },
      );
    }
    const record = this.crm.recordOrThrow(operation.contact, 'create', where);
    const header = endpoint.idempotencyHeader;
    const { body, headers } = await this.crm.http.json({
      method: endpoint.method ?? 'POST',
      path: endpoint.path,
      json: record,
      endpoint: where,
      ...(header ? { headers: { [header]: operation.key } } : {}),
      // With a key, the CRM answers a repeated create with the first result: safe to send again.
      idempotent: header !== undefined,
    });
    const replayed = header !== undefined && headers.get('idempotent-replayed') === 'true';
    let contact = this.crm.contactOrThrow(getAt(body, endpoint.record ?? ''), where);
    const id = contact.ids.crmId!;
    if (photo && !(replayed && extensionOf(contact)?.hasPhoto)) {
      try {
        contact = await this.writePhoto(id, photo, contact.ids.crmVersion);
      } catch (error) {
        const problem = problemFromError(error, { recordId: id });
        throw new CrmsyncError(
          problem.code,
          `contact ${id} was created, but its photo was not written: ${problem.message}`,
          { ...problem.location, recordId: id },
        );
      }
    }
    return {
      ok: true,
      key: operation.key,
      kind: 'create',
      id,
      ...(contact.ids.crmVersion !== undefined ? { version: contact.ids.crmVersion } : {}),
      contact,
      ...(replayed ? { replayed: true } : {}),
    };
  }

  private async update(operation: UpdateOperation): Promise<Success> {
    const endpoint = this.crm.require('updateContact');
    const where = label(endpoint, 'PUT');
    const id = this.idOf(operation, where);
    const expected = this.expectedVersion(operation, where);
    let current: unknown;
    if (endpoint.preserveUnmapped !== false) current = await this.basis(operation, expected, where);
    const contact: Contact = {
      ...operation.contact,
      ids: {
        ...operation.contact.ids,
        crmId: id,
        ...(expected !== undefined ? { crmVersion: expected } : {}),
      },
    };
    const record = this.crm.recordOrThrow(contact, 'update', where, id, current);
    const { body } = await this.crm.http.json({
      method: endpoint.method ?? 'PUT',
      path: withId(endpoint.path, id),
      json: record,
      headers: this.versionHeaders(expected),
      endpoint: where,
      recordId: id,
    });
    const updated = this.crm.contactOrThrow(getAt(body, endpoint.record ?? ''), where, id);
    return this.success(operation, updated);
  }

  private async delete(operation: DeleteOperation): Promise<Success> {
    const endpoint = this.crm.require('deleteContact');
    const where = label(endpoint, 'DELETE');
    const id = this.idOf(operation, where);
    const expected = this.expectedVersion(operation, where);
    // A contact that is already gone is what the delete wanted: a resumed commit may repeat it.
    try {
      await this.confirmVersionWhereNotSent(id, expected, where);
    } catch (error) {
      if ((error as CrmsyncError).code === 'CRMSYNC_ERR_CRM_NOT_FOUND')
        return { ok: true, key: operation.key, kind: 'delete', id };
      throw error;
    }
    await this.crm.http.json({
      method: endpoint.method ?? 'DELETE',
      path: withId(endpoint.path, id),
      headers: this.versionHeaders(expected),
      endpoint: where,
      recordId: id,
      accept: [404],
    });
    return { ok: true, key: operation.key, kind: 'delete', id };
  }

  private async photo(operation: PhotoOperation): Promise<Success> {
    const endpoint = this.crm.require('photo');
    const where = `${operation.photo ? (endpoint.method ?? 'PUT') : 'DELETE'} ${endpoint.path}`;
    const id = this.idOf(operation, where);
    const expected = this.expectedVersion(operation, where);
    const contact = await this.writePhoto(id, operation.photo, expected);
    return this.success(operation, contact);
  }

  /** Writes the photo based on `expected` and answers the contact as it is afterwards. */
  private async writePhoto(
    id: string,
    photo: Contact['photo'],
    expected: string | undefined,
  ): Promise<Contact> {
    const endpoint = this.crm.require('photo');
    const where = `${photo ? (endpoint.method ?? 'PUT') : 'DELETE'} ${endpoint.path}`;
    await this.confirmVersionWhereNotSent(id, expected, where);
    const body = await this.photos.write(id, photo, this.versionHeaders(expected));
    const answered =
      body === undefined ? undefined : this.crm.contact(getAt(body, endpoint.record ?? ''), where, id);
    if (answered?.ok) return answered.value;
    // The CRM answered without the contact (204): its new version is read, not guessed.
    return this.currentContact(id, where);
  }

  private success(operation: UpdateOperation | PhotoOperation, contact: Contact): Success {
    return {
      ok: true,
      key: operation.key,
      kind: operation.kind,
      id: operation.id,
      ...(contact.ids.crmVersion !== undefined ? { version: contact.ids.crmVersion } : {}),
      contact,
    };
  }

  private idOf(operation: UpdateOperation | DeleteOperation | PhotoOperation, where: string): string {
    if (typeof operation.id === 'string' && operation.id !== '') return operation.id;
    throw new CrmsyncError('CRMSYNC_ERR_CRM_NO_ID', `a ${operation.kind} needs the CRM id of the contact`, {
      endpoint: where,
      field: 'id',
    });
  }

  /** The version the operation is based on; refused when the CRM versions records and none is given. */
  private expectedVersion(
    operation: UpdateOperation | DeleteOperation | PhotoOperation,
    where: string,
  ): string | undefined {
    const version = operation.expectedVersion;
    if (typeof version === 'string' && version !== '') return version;
    if (!this.crm.versioned) return undefined;
    // Without it, the CRM would take whatever it holds now as the basis and silently overwrite
    // what someone else changed meanwhile.
    throw new CrmsyncError(
      'CRMSYNC_ERR_NO_VERSION',
      `contact ${operation.id} cannot be changed (${operation.kind}) without the CRM version the change is based on`,
      { endpoint: where, recordId: operation.id, field: 'expectedVersion' },
    );
  }

  /**
   * The record the update is based on, so fields the profile does not map survive it: the one
   * the contact carries when it is the expected version, else the CRM's current one, which must
   * then be the expected version.
   */
  private async basis(
    operation: UpdateOperation,
    expected: string | undefined,
    where: string,
  ): Promise<unknown> {
    const mapper = this.crm.contacts;
    const carried = extensionOf(operation.contact)?.record;
    const fits = (record: unknown) => !this.crm.versioned || mapper.versionOf(record) === expected;
    if (carried && mapper.idOf(carried) === operation.id && fits(carried)) return carried;
    const current = await this.currentRecord(operation.id, where);
    if (!fits(current)) throw this.stale(operation.id, mapper.versionOf(current), expected, where);
    return current;
  }

  /**
   * Where the version travels in the body (which a delete or a photo has not), the current one
   * is compared first, so a stale delete or photo write is refused all the same.
   */
  private async confirmVersionWhereNotSent(
    id: string,
    expected: string | undefined,
    where: string,
  ): Promise<void> {
    if (expected === undefined || Object.keys(this.versionHeaders(expected)).length > 0) return;
    const current = await this.currentRecord(id, where);
    const version = this.crm.contacts.versionOf(current);
    if (version !== expected) throw this.stale(id, version, expected, where);
  }

  private stale(
    id: string,
    current: string | undefined,
    expected: string | undefined,
    where: string,
  ): ConcurrencyError {
    return new ConcurrencyError(
      `contact ${id} is at version ${current ?? '(none)'} in the CRM, not at version ${expected} that the change is based on`,
      { endpoint: where, recordId: id },
    );
  }

  private versionHeaders(version: string | undefined): Record<string, string> {
    const concurrency = this.crm.profile.concurrency ?? { mode: 'ifMatch' };
    if (concurrency.mode !== 'ifMatch' || version === undefined) return {};
    return { [concurrency.header ?? 'If-Match']: `"${version}"` };
  }

  /** The record as the CRM holds it now, raw; a record that is gone is an error naming it. */
  private async currentRecord(id: string, where: string): Promise<unknown> {
    const found = await this.crm.readContactRecord(id);
    if (!found) {
      throw new CrmsyncError('CRMSYNC_ERR_CRM_NOT_FOUND', `the CRM has no contact ${id}`, {
        endpoint: where,
        recordId: id,
      });
    }
    return found.record;
  }

  private async currentContact(id: string, where: string): Promise<Contact> {
    return this.crm.contactOrThrow(
      await this.currentRecord(id, where),
      label(this.crm.profile.endpoints.getContact),
      id,
    );
  }
}
