import {
  type BusinessPartner,
  type Contact,
  type ContactChange,
  type CreateOperation,
  type CrmCapabilities,
  type CrmConnector,
  type CrmContactQuery,
  type CrmPartnerQuery,
  type Fetched,
  type FieldSupport,
  type HealthReport,
  type KeyedContact,
  type OperationSource,
  type OutboundRequests,
  type Photo,
  textWithoutCredentials,
  type WriteOutcome,
} from '../../../core/index.js';
import { CrmRecords, label, withId } from './crm-records.js';
import { fieldSupportOf } from './field-support.js';
import { HttpClient } from './http/http-client.js';
import { ContactMapper } from './mapping/contact-mapper.js';
import { getAt } from './mapping/json-pointer.js';
import { MappingProblem } from './mapping/mapping-problem.js';
import { PartnerMapper } from './mapping/partner-mapper.js';
import { loadProfileFile, validateProfile } from './profile/load-profile.js';
import type { Profile } from './profile/profile.js';
import { changesSince } from './protocols/change-feed.js';
import { searchParams, streamRecords } from './protocols/list-endpoint.js';
import { Lookups } from './protocols/lookups.js';
import { PhotoEndpoint } from './protocols/photo-endpoint.js';
import { Writes } from './protocols/writes.js';

export interface CrmRestOptions {
  /** The mapping profile, as read from its file (secrets already resolved). */
  profile?: unknown;
  /** Where the profile came from, named in every configuration error. */
  profileFile?: string;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Where each request to the CRM is reported, for the host's metrics. */
  outbound?: OutboundRequests;
}

/**
 * crmsync's CRM connector for any REST CRM that a mapping profile describes: no CRM's field
 * names, paging or auth are written into it. Each protocol (change feed, photos, lookups,
 * writes) has a file of its own; this class puts them behind the CrmConnector port.
 */
export class CrmRestConnector implements CrmConnector {
  readonly capabilities: CrmCapabilities;
  readonly fieldSupport: FieldSupport;
  readonly accountKey: string;
  readonly profile: Profile;
  private readonly crm: CrmRecords;
  private readonly photos: PhotoEndpoint;
  private readonly lookups: Lookups;
  private readonly writes: Writes;

  constructor(options: CrmRestOptions) {
    const profileFile = options.profileFile ?? 'crm-rest profile';
    this.profile =
      options.profile === undefined && options.profileFile
        ? loadProfileFile(options.profileFile)
        : validateProfile(options.profile, profileFile);
    const endpoints = this.profile.endpoints;
    this.capabilities = {
      changes: !!endpoints.changes,
      photos: !!endpoints.photo,
      bulkLookup: !!endpoints.lookupByEmails && !!endpoints.lookupByPhones,
    };
    this.fieldSupport = fieldSupportOf(this.profile);
    // The address without credentials or a trailing slash: the same CRM always has the same key.
    this.accountKey = textWithoutCredentials(this.profile.baseUrl).replace(/\/+$/, '');
    const http = new HttpClient({
      profile: this.profile,
      sleep: options.sleep,
      fetch: options.fetch,
      outbound: options.outbound,
    });
    const contacts = new ContactMapper(this.profile.contact, {
      versionInBody: this.profile.concurrency?.mode === 'body',
    });
    const partners = this.profile.partner ? new PartnerMapper(this.profile.partner) : undefined;
    this.crm = new CrmRecords(this.profile, profileFile, http, contacts, partners);
    this.photos = new PhotoEndpoint(this.crm);
    this.lookups = new Lookups(this.crm);
    this.writes = new Writes(this.crm, this.photos);
  }

  /** Reads one record of the search endpoint: proves the CRM answers and accepts the credentials. */
  async health(): Promise<HealthReport> {
    const started = Date.now();
    const endpoint = this.profile.endpoints.searchContacts;
    const paging = { ...this.profile.paging, ...endpoint.paging };
    const http = this.crm.http;
    try {
      await http.json({
        method: 'GET',
        path: endpoint.path,
        query: [
          ...Object.entries(endpoint.fixedParams ?? {}),
          ...(paging.sizeParam ? [[paging.sizeParam, '1'] as [string, string]] : []),
        ],
        endpoint: label(endpoint),
      });
      return { ok: true, detail: `reachable at ${http.baseUrl} (${Date.now() - started} ms)` };
    } catch (error) {
      return { ok: false, detail: textWithoutCredentials((error as Error).message) };
    }
  }

  // ---- contacts -------------------------------------------------------------------------

  searchContacts(query: CrmContactQuery = {}): AsyncIterable<Fetched<Contact>> {
    const params = searchParams(this.crm, 'searchContacts', query as Record<string, unknown>);
    return streamRecords(this.crm, this.profile.endpoints.searchContacts, params, (record, where) =>
      this.crm.contact(record, where),
    );
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const found = await this.crm.readContactRecord(id);
    const where = label(this.profile.endpoints.getContact);
    return found && this.crm.contactOrThrow(found.record, where, id);
  }

  changesSince(cursor?: string): AsyncIterable<Fetched<ContactChange>> {
    return changesSince(this.crm, cursor);
  }

  apply(operations: OperationSource): AsyncIterable<WriteOutcome> {
    return this.writes.apply(operations);
  }

  findCreated(operation: CreateOperation): Promise<Contact | undefined> {
    return this.writes.findCreated(operation);
  }

  findByEmails(emails: readonly string[]): AsyncIterable<Fetched<KeyedContact>> {
    return this.lookups.findByEmails(emails);
  }

  findByPhones(phones: readonly string[]): AsyncIterable<Fetched<KeyedContact>> {
    return this.lookups.findByPhones(phones);
  }

  getPhoto(id: string): Promise<Photo | undefined> {
    return this.photos.read(id);
  }

  // ---- partners -------------------------------------------------------------------------

  searchPartners(query: CrmPartnerQuery): AsyncIterable<Fetched<BusinessPartner>> {
    const endpoint = this.crm.require('searchPartners');
    const mapper = this.crm.partnerMapper();
    const params = searchParams(this.crm, 'searchPartners', query as Record<string, unknown>);
    return streamRecords(this.crm, endpoint, params, (record, where) => {
      try {
        return { ok: true, value: mapper.toPartner(record) };
      } catch (error) {
        if (error instanceof MappingProblem)
          return { ok: false, problem: this.crm.problem(error, where, mapper.idOf(record)) };
        throw error;
      }
    });
  }

  async getPartner(id: string): Promise<BusinessPartner | undefined> {
    const endpoint = this.crm.require('getPartner');
    const where = label(endpoint);
    const { status, body } = await this.crm.http.json({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: where,
      recordId: id,
      accept: [404],
    });
    if (status === 404) return undefined;
    try {
      return this.crm.partnerMapper().toPartner(getAt(body, endpoint.record ?? ''));
    } catch (error) {
      if (error instanceof MappingProblem) throw this.crm.mappingError(error, where, id);
      throw error;
    }
  }
}
