import type { BusinessPartner } from '../../../../core/index.js';
import type { FieldMapping, PartnerMappingProfile } from '../profile/profile.js';
import { getAt } from './json-pointer.js';
import { MappingProblem } from './mapping-problem.js';
import { normaliseMapping, readScalar } from './scalar.js';
import { addressParts } from './value-lists.js';

/** Maps the CRM's business partner JSON to crmsync's BusinessPartner (read only). */
export class PartnerMapper {
  constructor(private readonly profile: PartnerMappingProfile) {}

  idOf(record: unknown): string | undefined {
    const value = getAt(record, normaliseMapping(this.profile.id).path);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }

  toPartner(record: unknown): BusinessPartner {
    const id = readScalar(record, this.profile.id, 'id', 'string') as string | undefined;
    if (!id) throw new MappingProblem('the record has no id', 'id', normaliseMapping(this.profile.id).path);
    const partner: BusinessPartner = { id, name: '', emailDomains: [] };
    for (const [field, mapping] of Object.entries(this.profile.fields) as [string, FieldMapping][]) {
      const value = readScalar(record, mapping, field, 'string');
      if (value !== undefined) (partner as unknown as Record<string, unknown>)[field] = value;
    }
    if (!partner.name) {
      throw new MappingProblem(
        'is required but missing',
        'name',
        this.profile.fields.name ? normaliseMapping(this.profile.fields.name).path : '',
      );
    }
    if (this.profile.emailDomains) {
      const domains = getAt(record, this.profile.emailDomains) ?? [];
      if (!Array.isArray(domains) || domains.some((domain) => typeof domain !== 'string')) {
        throw new MappingProblem('expected a list of strings', 'emailDomains', this.profile.emailDomains);
      }
      partner.emailDomains = domains as string[];
    }
    if (this.profile.address) {
      const address: Record<string, string> = {};
      for (const part of addressParts) {
        const path = this.profile.address[part];
        const value = path ? getAt(record, path) : undefined;
        if (typeof value === 'string' || typeof value === 'number') address[part] = String(value);
      }
      if (Object.keys(address).length) partner.address = address;
    }
    return partner;
  }
}
