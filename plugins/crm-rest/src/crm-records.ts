import { type Contact, CrmsyncError, type Fetched, type RecordProblem } from '../../../core/index.js';
import type { HttpClient } from './http/http-client.js';
import type { ContactMapper } from './mapping/contact-mapper.js';
import { getAt } from './mapping/json-pointer.js';
import { MappingProblem } from './mapping/mapping-problem.js';
import type { PartnerMapper } from './mapping/partner-mapper.js';
import type { Endpoint, Profile } from './profile/profile.js';

export type Endpoints = Profile['endpoints'];

/** `GET /contacts/{id}`: how errors name an endpoint. */
export function label(endpoint: Endpoint, fallbackMethod = 'GET'): string {
  return `${endpoint.method ?? fallbackMethod} ${endpoint.path}`;
}

export function withId(path: string, id: string, placeholder = '{id}'): string {
  return path.replace(placeholder, encodeURIComponent(id));
}

/**
 * What every protocol of the connector shares: the profile, the HTTP client and the mappers,
 * and the one way a record that does not map becomes a problem naming endpoint, record and field.
 */
export class CrmRecords {
  constructor(
    readonly profile: Profile,
    readonly profileFile: string,
    readonly http: HttpClient,
    readonly contacts: ContactMapper,
    readonly partners: PartnerMapper | undefined,
  ) {}

  /** The endpoint, or an error naming the profile pointer where it would be declared. */
  require<K extends keyof Endpoints>(name: K): NonNullable<Endpoints[K]> {
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
    return endpoint as NonNullable<Endpoints[K]>;
  }

  partnerMapper(): PartnerMapper {
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

  /** Whether writes must say which version they are based on: the CRM versions its records. */
  get versioned(): boolean {
    return this.profile.contact.version !== undefined;
  }

  /** One record as a contact, or the problem that replaces it in a stream. */
  /** The contact record as the CRM holds it now, raw, or undefined when the CRM has none. */
  async readContactRecord(id: string): Promise<{ record: unknown } | undefined> {
    const endpoint = this.profile.endpoints.getContact;
    const { status, body } = await this.http.json({
      method: 'GET',
      path: withId(endpoint.path, id),
      endpoint: label(endpoint),
      recordId: id,
      accept: [404],
    });
    return status === 404 ? undefined : { record: getAt(body, endpoint.record ?? '') };
  }

  contact(record: unknown, endpoint: string, id?: string): Fetched<Contact> {
    try {
      return { ok: true, value: this.contacts.toContact(record) };
    } catch (error) {
      if (error instanceof MappingProblem)
        return { ok: false, problem: this.problem(error, endpoint, id ?? this.contacts.idOf(record)) };
      throw error;
    }
  }

  contactOrThrow(record: unknown, endpoint: string, id?: string): Contact {
    const mapped = this.contact(record, endpoint, id);
    if (!mapped.ok)
      throw new CrmsyncError(mapped.problem.code, mapped.problem.message, mapped.problem.location);
    return mapped.value;
  }

  /** The CRM record for a write; a value the profile has no place for is an error naming the field. */
  recordOrThrow(
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

  problem(problem: MappingProblem, endpoint: string, id?: string): RecordProblem {
    const error = this.mappingError(problem, endpoint, id);
    return { code: error.code, message: error.reason, location: error.location };
  }

  mappingError(problem: MappingProblem, endpoint: string, id?: string): CrmsyncError {
    return new CrmsyncError(
      'CRMSYNC_ERR_CRM_RECORD',
      problem.message,
      problem.location({ endpoint, ...(id ? { recordId: id } : {}) }),
    );
  }
}
