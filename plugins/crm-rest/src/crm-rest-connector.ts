import { createHash } from 'node:crypto';
import {
  type BusinessPartner,
  type Contact,
  type ContactChange,
  type CrmCapabilities,
  type CrmConnector,
  type CrmContactQuery,
  type CrmPartnerQuery,
  CrmsyncError,
  type Fetched,
  type HealthReport,
  type Photo,
  type ProblemLocation,
  type RecordProblem,
  toE164,
} from '../../../core/index.js';
import { HttpClient } from './http/http-client.js';
import { listAt } from './http/list-at.js';
import { type PageRequest, pages } from './http/pager.js';
import { ContactMapper } from './mapping/contact-mapper.js';
import { getAt, setAt } from './mapping/json-pointer.js';
import { MappingProblem } from './mapping/mapping-problem.js';
import { PartnerMapper } from './mapping/partner-mapper.js';
import { loadProfileFile, validateProfile } from './profile/load-profile.js';
import type { Endpoint, ListEndpoint, LookupEndpoint, Paging, Profile } from './profile/profile.js';

export interface CrmRestOptions {
  /** The mapping profile, as read from its file (secrets already resolved). */
  profile?: unknown;
  /** Where the profile came from, named in every configuration error. */
  profileFile?: string;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /**
   * Told about each record skipped where an answer is a plain list rather than a stream
   * (bulk lookups), so the skipped record is reported, not lost from sight.
   */
  onProblem?: (problem: RecordProblem) => void;
}

type Mapped<T> = { ok: true; value: T } | { ok: false; problem: MappingProblem };

function label(endpoint: Endpoint, fallbackMethod = 'GET'): string {
  return `${endpoint.method ?? fallbackMethod} ${endpoint.path}`;
}

function withId(path: string, id: string): string {
  return path.replace('{id}', encodeURIComponent(id));
}

function photoHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * crmsync's CRM connector for any REST CRM that a mapping profile describes: no CRM's field
 * names, paging or auth are written into this class.
 */
export class CrmRestConnector implements CrmConnector {
  readonly capabilities: CrmCapabilities;
  readonly profile: Profile;
  private readonly http: HttpClient;
  private readonly contacts: ContactMapper;
  private readonly partners?: PartnerMapper;
  private readonly profileFile: string;
  private readonly onProblem: (problem: RecordProblem) => void;

  constructor(options: CrmRestOptions) {
    this.profileFile = options.profileFile ?? 'crm-rest profile';
    this.onProblem = options.onProblem ?? (() => {});
    this.profile =
      options.profile === undefined && options.profileFile
        ? loadProfileFile(options.profileFile)
        : validateProfile(options.profile, this.profileFile);
    const endpoints = this.profile.endpoints;
    this.capabilities = {
      changes: !!endpoints.changes,
      photos: !!endpoints.photo,
      bulkLookup: !!endpoints.lookupByEmails && !!endpoints.lookupByPhones,
    };
    this.http = new HttpClient({ profile: this.profile, sleep: options.sleep, fetch: options.fetch });
    this.contacts = new ContactMapper(this.profile.contact, {
      versionInBody: this.profile.concurrency?.mode === 'body',
    });
    if (this.profile.partner) this.partners = new PartnerMapper(this.profile.partner);
  }

  /** Reads one record of the search endpoint: proves the CRM answers and accepts the credentials. */
  async health(): Promise<HealthReport> {
    const started = Date.now();
    const endpoint = this.profile.endpoints.searchContacts;
    const paging = { ...this.profile.paging, ...endpoint.paging };
    try {
      await this.http.json({
        method: 'GET',
        path: endpoint.path,
        query: [
          ...Object.entries(endpoint.fixedParams ?? {}),
          ...(paging.sizeParam ? [[paging.sizeParam, '1'] as [string, string]] : []),
        ],
        endpoint: label(endpoint),
      });
      return { ok: true, detail: `reachable at ${this.http.baseUrl} (${Date.now() - started} ms)` };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  // ---- contacts -------------------------------------------------------------------------

  searchContacts(query: CrmContactQuery = {}): AsyncIterable<Fetched<Contact>> {
    const endpoint = this.profile.endpoints.searchContacts;
    return this.streamRecords(
      endpoint,
      this.searchParams(endpoint, query as Record<string, unknown>, 'contacts'),
      (record) => this.mapContact(record),
    );
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const endpoint = this.profile.endpoints.getContact;
    const { status, body } = await this.http.json({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: label(endpoint),
      recordId: id,
      accept: [404],
    });
    if (status === 404) return undefined;
    return this.contactOrThrow(getAt(body, endpoint.record ?? ''), label(endpoint), id);
  }

  async createContact(contact: Contact): Promise<Contact> {
    const endpoint = this.require('createContact');
    const where = label(endpoint, 'POST');
    const record = this.recordOrThrow(contact, 'create', where);
    const { body } = await this.http.json({
      method: endpoint.method ?? 'POST',
      path: endpoint.path,
      json: record,
      endpoint: where,
      idempotent: false,
    });
    return this.contactOrThrow(getAt(body, endpoint.record ?? ''), where);
  }

  async updateContact(contact: Contact): Promise<Contact> {
    const endpoint = this.require('updateContact');
    const id = contact.ids.crmId;
    const where = label(endpoint, 'PUT');
    if (!id)
      throw new CrmsyncError('CRMSYNC_ERR_CRM_NO_ID', 'a contact without CRM id cannot be updated', {
        endpoint: where,
      });
    if (contact.ids.crmVersion === undefined && this.needsVersion()) {
      // Without the version the change is based on, the CRM would take whatever it holds now
      // as the basis and silently overwrite what someone else changed meanwhile.
      throw new CrmsyncError(
        'CRMSYNC_ERR_CRM_NO_VERSION',
        `contact ${id} cannot be updated without the CRM version the change is based on (read it first)`,
        { endpoint: where, recordId: id, field: 'ids.crmVersion' },
      );
    }
    const current = endpoint.preserveUnmapped === false ? undefined : await this.currentRecord(id);
    const record = this.recordOrThrow(contact, 'update', where, id, current);
    const { body } = await this.http.json({
      method: endpoint.method ?? 'PUT',
      path: withId(endpoint.path, id),
      json: record,
      headers: this.versionHeader(contact.ids.crmVersion),
      endpoint: where,
      recordId: id,
    });
    return this.contactOrThrow(getAt(body, endpoint.record ?? ''), where, id);
  }

  /** Without `expectedVersion`, deletes the contact as it is now (its current version is read first). */
  async deleteContact(id: string, expectedVersion?: string): Promise<void> {
    const endpoint = this.require('deleteContact');
    const version = expectedVersion ?? (await this.currentVersion(id));
    await this.http.json({
      method: endpoint.method ?? 'DELETE',
      path: withId(endpoint.path, id),
      headers: this.versionHeader(version),
      endpoint: label(endpoint, 'DELETE'),
      recordId: id,
    });
  }

  async *changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange<Contact>>> {
    const endpoint = this.require('changes');
    const where = label(endpoint);
    let position = cursor;
    for (;;) {
      const previous = position;
      const query: [string, string][] = Object.entries(endpoint.fixedParams ?? {});
      if (position !== undefined && position !== '') query.push([endpoint.cursorParam, position]);
      if (endpoint.sizeParam) query.push([endpoint.sizeParam, String(endpoint.size ?? 500)]);
      const { status, body } = await this.http.json({
        method: 'GET',
        path: endpoint.path,
        query,
        endpoint: where,
        accept: [410],
      });
      if (status === 410) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_CURSOR_EXPIRED',
          'the CRM no longer accepts the change cursor (HTTP 410: it was reset, restored or the cursor expired); a full resync is needed',
          { endpoint: where, field: endpoint.cursorParam },
        );
      }
      const items = listAt(body, endpoint.items, 'the change feed', where);
      for (const [index, item] of items.entries()) {
        const kind = getAt(item, endpoint.kind);
        const rawId = getAt(item, endpoint.id);
        const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
        if (typeof kind === 'string' && endpoint.deletedValues.includes(kind)) {
          if (id === undefined) {
            yield this.problem(
              new MappingProblem(
                'a deletion without id',
                'ids.crmId',
                `${endpoint.items}/${index}${endpoint.id}`,
              ),
              where,
            );
          } else yield { ok: true, value: { type: 'deleted', id } };
          continue;
        }
        const mapped = this.mapContact(getAt(item, endpoint.record));
        yield mapped.ok
          ? { ok: true, value: { type: 'upserted', contact: mapped.value } }
          : this.problem(mapped.problem, where, id ?? this.contacts.idOf(getAt(item, endpoint.record)));
      }
      const next = getAt(body, endpoint.nextCursor);
      if (typeof next === 'string' || typeof next === 'number') {
        position = String(next);
        yield { ok: true, value: { type: 'checkpoint', cursor: position } };
      }
      const hasMore = endpoint.hasMore ? getAt(body, endpoint.hasMore) === true : items.length > 0;
      // An empty page or a cursor that does not move would otherwise ask the same question forever.
      if (!hasMore || items.length === 0 || next === undefined || next === null || String(next) === previous)
        return;
    }
  }

  findByEmails(emails: readonly string[]): Promise<Contact[]> {
    return this.lookup(this.require('lookupByEmails'), [
      ...new Set(emails.map((email) => email.trim()).filter(Boolean)),
    ]);
  }

  findByPhones(phones: readonly string[]): Promise<Contact[]> {
    const endpoint = this.require('lookupByPhones');
    const values =
      endpoint.phoneFormat === 'asGiven' ? phones : phones.map((phone) => toE164(phone) ?? phone);
    return this.lookup(endpoint, [...new Set(values)]);
  }

  async getPhoto(id: string): Promise<Photo | undefined> {
    const endpoint = this.require('photo');
    const where = label(endpoint);
    const response = await this.http.send({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: where,
      recordId: id,
      accept: [404],
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (endpoint.encoding === 'binary') {
      const bytes = new Uint8Array(await response.arrayBuffer());
      const mediaType = (response.headers.get('content-type') ?? 'application/octet-stream')
        .split(';')[0]!
        .trim();
      return { mediaType, bytes, hash: photoHash(bytes) };
    }
    const body = await response.json().catch(() => undefined);
    const data = getAt(body, endpoint.data ?? '/data');
    const mediaType = getAt(body, endpoint.mediaType ?? '/mediaType');
    if (typeof data !== 'string' || typeof mediaType !== 'string') {
      throw new CrmsyncError('CRMSYNC_ERR_CRM_RESPONSE', 'the photo answer lacks base64 data or media type', {
        endpoint: where,
        recordId: id,
        pointer: typeof data !== 'string' ? endpoint.data : endpoint.mediaType,
      });
    }
    const bytes = new Uint8Array(Buffer.from(data, 'base64'));
    return { mediaType, bytes, hash: photoHash(bytes) };
  }

  /**
   * Sets or removes the photo, based on `expectedVersion` (else on the version the CRM holds now),
   * so a stale write is refused as for any other change.
   */
  async setPhoto(id: string, photo: Photo | undefined, expectedVersion?: string): Promise<void> {
    const endpoint = this.require('photo');
    const path = withId(endpoint.path, id);
    if (!photo && endpoint.remove === 'none') return;
    const headers = this.versionHeader(expectedVersion ?? (await this.currentVersion(id)));
    if (!photo) {
      await this.http.json({
        method: 'DELETE',
        path,
        headers,
        endpoint: `DELETE ${endpoint.path}`,
        recordId: id,
        accept: [404],
      });
      return;
    }
    const where = `${endpoint.method ?? 'PUT'} ${endpoint.path}`;
    if (!photo.bytes) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_PHOTO_NO_BYTES',
        'a photo given only by reference cannot be uploaded',
        { endpoint: where, recordId: id },
      );
    }
    if (endpoint.encoding === 'binary') {
      await this.http.json({
        method: endpoint.method ?? 'PUT',
        path,
        bytes: { data: photo.bytes, mediaType: photo.mediaType },
        headers,
        endpoint: where,
        recordId: id,
      });
      return;
    }
    const body: Record<string, unknown> = {};
    setAt(body, endpoint.data ?? '/data', Buffer.from(photo.bytes).toString('base64'));
    setAt(body, endpoint.mediaType ?? '/mediaType', photo.mediaType);
    await this.http.json({
      method: endpoint.method ?? 'PUT',
      path,
      json: body,
      headers,
      endpoint: where,
      recordId: id,
    });
  }

  // ---- partners -------------------------------------------------------------------------

  searchPartners(query: CrmPartnerQuery): AsyncIterable<Fetched<BusinessPartner>> {
    const endpoint = this.require('searchPartners');
    const mapper = this.partnerMapper();
    return this.streamRecords(
      endpoint,
      this.searchParams(endpoint, query as Record<string, unknown>, 'partners'),
      (record) => {
        try {
          return { ok: true, value: mapper.toPartner(record) };
        } catch (error) {
          if (error instanceof MappingProblem) return { ok: false, problem: error };
          throw error;
        }
      },
    );
  }

  async getPartner(id: string): Promise<BusinessPartner | undefined> {
    const endpoint = this.require('getPartner');
    const where = label(endpoint);
    const { status, body } = await this.http.json({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: where,
      recordId: id,
      accept: [404],
    });
    if (status === 404) return undefined;
    try {
      return this.partnerMapper().toPartner(getAt(body, endpoint.record ?? ''));
    } catch (error) {
      if (error instanceof MappingProblem) throw this.mappingError(error, where, id);
      throw error;
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private require<K extends keyof Profile['endpoints']>(name: K): NonNullable<Profile['endpoints'][K]> {
    const endpoint = this.profile.endpoints[name];
    if (!endpoint) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_NOT_IMPLEMENTED',
        `the mapping profile declares no ${name} endpoint`,
        {
          file: this.profileFile,
          pointer: `/endpoints/${name}`,
        },
      );
    }
    return endpoint as NonNullable<Profile['endpoints'][K]>;
  }

  private partnerMapper(): PartnerMapper {
    if (!this.partners) {
      throw new CrmsyncError(
        'CRMSYNC_ERR_NOT_IMPLEMENTED',
        'the mapping profile declares no partner mapping',
        {
          file: this.profileFile,
          pointer: '/partner',
        },
      );
    }
    return this.partners;
  }

  private searchParams(
    endpoint: ListEndpoint,
    query: Record<string, unknown>,
    what: string,
  ): [string, string][] {
    const params: [string, string][] = Object.entries(endpoint.fixedParams ?? {});
    for (const [criterion, value] of Object.entries(query)) {
      if (value === undefined || value === '') continue;
      const mapping = endpoint.params?.[criterion];
      if (!mapping) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_UNSUPPORTED_QUERY',
          `this CRM profile cannot search ${what} by ${criterion}`,
          {
            file: this.profileFile,
            pointer: `/endpoints/${what === 'contacts' ? 'searchContacts' : 'searchPartners'}/params/${criterion}`,
          },
        );
      }
      const spec = typeof mapping === 'string' ? { param: mapping } : mapping;
      const code = spec.values
        ? Object.keys(spec.values).find((key) => spec.values![key] === value)
        : String(value);
      if (code === undefined) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_UNSUPPORTED_QUERY',
          `no code for ${criterion} = ${JSON.stringify(value)} in the profile`,
          {
            file: this.profileFile,
            pointer: `/endpoints/${what === 'contacts' ? 'searchContacts' : 'searchPartners'}/params/${criterion}/values`,
          },
        );
      }
      params.push([spec.param, code]);
    }
    return params;
  }

  private async *streamRecords<T>(
    endpoint: ListEndpoint,
    query: [string, string][],
    map: (record: unknown) => Mapped<T>,
  ): AsyncIterable<Fetched<T>> {
    const paging: Paging = { ...this.profile.paging, ...endpoint.paging } as Paging;
    const where = label(endpoint);
    const first: PageRequest = { path: endpoint.path, query, endpoint: where };
    for await (const records of pages(this.http, first, paging)) {
      for (const record of records) {
        const mapped = map(record);
        yield mapped.ok
          ? mapped
          : this.problem(mapped.problem, where, this.contacts.idOf(record) ?? this.partners?.idOf(record));
      }
    }
  }

  private async lookup(endpoint: LookupEndpoint, values: readonly string[]): Promise<Contact[]> {
    const found = new Map<string, Contact>();
    const where = label(endpoint, endpoint.bodyField !== undefined ? 'POST' : 'GET');
    const batchSize = endpoint.batchSize ?? 200;
    for (let start = 0; start < values.length; start += batchSize) {
      const batch = values.slice(start, start + batchSize);
      const query: [string, string][] = Object.entries(endpoint.fixedParams ?? {});
      let json: Record<string, unknown> | undefined;
      if (endpoint.bodyField !== undefined) {
        json = {};
        setAt(json, endpoint.bodyField, batch);
      } else for (const value of batch) query.push([endpoint.queryParam ?? 'q', value]);
      const { body } = await this.http.json({
        method: endpoint.method ?? (json ? 'POST' : 'GET'),
        path: endpoint.path,
        query,
        json,
        endpoint: where,
        idempotent: true,
      });
      const items = listAt(body, endpoint.items, 'the lookup answer', where);
      // One malformed record must not hide the others: it is reported and skipped.
      for (const item of items) {
        const mapped = this.mapContact(item);
        if (mapped.ok) found.set(mapped.value.ids.crmId!, mapped.value);
        else this.onProblem(this.problem(mapped.problem, where, this.contacts.idOf(item)).problem);
      }
    }
    return [...found.values()];
  }

  /** The record as the CRM holds it now, raw; a record that is gone is an error naming it. */
  private async currentRecord(id: string): Promise<unknown> {
    const endpoint = this.profile.endpoints.getContact;
    const { body } = await this.http.json({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: label(endpoint),
      recordId: id,
    });
    return getAt(body, endpoint.record ?? '');
  }

  /** Whether writes must say which version they are based on: the CRM versions its records. */
  private needsVersion(): boolean {
    return this.profile.contact.version !== undefined;
  }

  /** The version the CRM holds now, for writes whose caller gave none; only read when it is sent. */
  private async currentVersion(id: string): Promise<string | undefined> {
    const mode = this.profile.concurrency?.mode ?? 'ifMatch';
    if (mode !== 'ifMatch' || !this.needsVersion()) return undefined;
    const current = await this.getContact(id);
    if (!current) {
      throw new CrmsyncError('CRMSYNC_ERR_CRM_NOT_FOUND', `the CRM has no contact ${id}`, {
        endpoint: label(this.profile.endpoints.getContact),
        recordId: id,
      });
    }
    return current.ids.crmVersion;
  }

  private versionHeader(version: string | undefined): Record<string, string> {
    const concurrency = this.profile.concurrency ?? { mode: 'ifMatch' };
    if (concurrency.mode !== 'ifMatch' || version === undefined) return {};
    return { [concurrency.header ?? 'If-Match']: `"${version}"` };
  }

  private mapContact(record: unknown): Mapped<Contact> {
    try {
      return { ok: true, value: this.contacts.toContact(record) };
    } catch (error) {
      if (error instanceof MappingProblem) return { ok: false, problem: error };
      throw error;
    }
  }

  private contactOrThrow(record: unknown, endpoint: string, id?: string): Contact {
    const mapped = this.mapContact(record);
    if (!mapped.ok) throw this.mappingError(mapped.problem, endpoint, id ?? this.contacts.idOf(record));
    return mapped.value;
  }

  private recordOrThrow(
    contact: Contact,
    purpose: 'create' | 'update',
    endpoint: string,
    id?: string,
    current?: unknown,
  ): Record<string, unknown> {
    try {
      return this.contacts.toRecord(contact, purpose, current);
    } catch (error) {
      if (error instanceof MappingProblem) throw this.mappingError(error, endpoint, id);
      throw error;
    }
  }

  private location(problem: MappingProblem, endpoint: string, id?: string): ProblemLocation {
    return problem.location({ endpoint, ...(id ? { recordId: id } : {}) });
  }

  private problem(
    problem: MappingProblem,
    endpoint: string,
    id?: string,
  ): { ok: false; problem: { code: string; message: string; location: ProblemLocation } } {
    const error = this.mappingError(problem, endpoint, id);
    return { ok: false, problem: { code: error.code, message: error.message, location: error.location } };
  }

  private mappingError(problem: MappingProblem, endpoint: string, id?: string): CrmsyncError {
    return new CrmsyncError('CRMSYNC_ERR_CRM_RECORD', problem.message, this.location(problem, endpoint, id));
  }
}
