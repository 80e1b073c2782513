import {
  type AddressType,
  addressTypes,
  type Contact,
  type EmailType,
  emailTypes,
  emptyContact,
  type PhoneType,
  phoneTypes,
  scalarFields,
  toE164,
} from '../../../../core/index.js';
import type { ContactMappingProfile, ContactScalarField, FieldMapping } from '../profile/profile.js';
import { deleteAt, getAt, setAt } from './json-pointer.js';
import { MappingProblem } from './mapping-problem.js';
import { type CrmRestExtension, extensionKey } from './raw-record.js';
import { normaliseMapping, readScalar, writeScalar } from './scalar.js';
import { readAddresses, readValueList, writeAddresses, writeValueList } from './value-lists.js';

// Deliberately loose: the CRM is the judge of what it accepts; this catches values that are plainly not addresses.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const birthdayPattern = /^(\d{4}|--)-?\d{2}-\d{2}/;
/**
 * Model fields whose value is lost when the profile has no place for them. The display name
 * is derived from the name parts, timestamps and the sync flag belong to the CRM.
 */
const placeableFields: readonly ContactScalarField[] = scalarFields.filter(
  (field) => field !== 'displayName' && field !== 'groupwareSync',
);

function valueKey(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface MapperOptions {
  /** Whether the version travels inside the record (otherwise as If-Match). */
  versionInBody: boolean;
}

/** Maps the CRM's contact JSON to crmsync's contact model and back, as the profile says. */
export class ContactMapper {
  private readonly fieldMappings: [ContactScalarField, FieldMapping][];
  /** What the profile says the CRM has no place for, so that dropping it is intended. */
  private readonly ignored: ReadonlySet<string>;

  constructor(
    private readonly profile: ContactMappingProfile,
    private readonly options: MapperOptions,
  ) {
    this.fieldMappings = Object.entries(profile.fields).map(([field, mapping]) => [
      field as ContactScalarField,
      normaliseMapping(mapping),
    ]);
    this.ignored = new Set(profile.ignore ?? []);
  }

  /** The record's id, for naming it in problems, even when the rest of it is broken. */
  idOf(record: unknown): string | undefined {
    const value = getAt(record, normaliseMapping(this.profile.id).path);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }

  /** The record's version as the contact model holds it (`ids.crmVersion`), when the profile maps one. */
  versionOf(record: unknown): string | undefined {
    if (!this.profile.version) return undefined;
    const value = getAt(record, normaliseMapping(this.profile.version).path);
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }

  /** Throws a MappingProblem naming the first field that does not fit. */
  toContact(record: unknown): Contact {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new MappingProblem(
        `expected a record object, got ${JSON.stringify(record)?.slice(0, 60)}`,
        'record',
        '',
      );
    }
    const contact = emptyContact();
    const id = readScalar(record, this.profile.id, 'ids.crmId', 'string') as string | undefined;
    if (!id)
      throw new MappingProblem('the record has no id', 'ids.crmId', normaliseMapping(this.profile.id).path);
    contact.ids.crmId = id;
    if (this.profile.version) {
      const version = readScalar(record, this.profile.version, 'ids.crmVersion', 'string');
      if (version !== undefined) contact.ids.crmVersion = String(version);
    }
    for (const [field, mapping] of this.fieldMappings) {
      const value = readScalar(record, mapping, field, field === 'groupwareSync' ? 'boolean' : 'string');
      if (value === undefined) continue;
      if (field === 'groupwareSync') contact.groupwareSync = value as boolean;
      else if (field === 'birthday') {
        if (!birthdayPattern.test(String(value))) {
          throw new MappingProblem(
            `${JSON.stringify(value)} is not a date`,
            field,
            normaliseMapping(mapping).path,
          );
        }
        contact.birthday = String(value).slice(0, 10);
      } else (contact as unknown as Record<string, unknown>)[field] = value;
    }
    for (const field of this.profile.required ?? []) {
      const value = (contact as unknown as Record<string, unknown>)[field];
      if (value === undefined || value === '') {
        const mapping = this.profile.fields[field];
        throw new MappingProblem(
          'is required but missing',
          field,
          mapping ? normaliseMapping(mapping).path : '',
        );
      }
    }
    if (this.profile.emails) {
      contact.emails = readValueList(record, this.profile.emails, 'emails', 'work').map((entry, index) => {
        if (!emailPattern.test(entry.value.trim())) {
          throw new MappingProblem(
            `${JSON.stringify(entry.value)} is not an e-mail address`,
            `emails[${index}]`,
            entry.pointer,
          );
        }
        if (!emailTypes.includes(entry.type as EmailType)) {
          throw new MappingProblem(
            `e-mail type ${entry.type} is not one of ${emailTypes.join(', ')}`,
            `emails[${index}]`,
            entry.pointer,
          );
        }
        return {
          address: entry.value.trim(),
          type: entry.type as EmailType,
          ...(entry.preferred ? { preferred: true } : {}),
        };
      });
    }
    if (this.profile.phones) {
      contact.phones = readValueList(record, this.profile.phones, 'phones', 'business').map(
        (entry, index) => {
          const e164 = toE164(entry.value);
          if (!e164)
            throw new MappingProblem(
              `${JSON.stringify(entry.value)} is not a phone number`,
              `phones[${index}]`,
              entry.pointer,
            );
          if (!phoneTypes.includes(entry.type as PhoneType)) {
            throw new MappingProblem(
              `phone type ${entry.type} is not one of ${phoneTypes.join(', ')}`,
              `phones[${index}]`,
              entry.pointer,
            );
          }
          return {
            number: entry.value,
            type: entry.type as PhoneType,
            e164,
            ...(entry.preferred ? { preferred: true } : {}),
          };
        },
      );
    }
    if (this.profile.addresses) {
      contact.addresses = readAddresses(record, this.profile.addresses).map((address, index) => {
        if (!addressTypes.includes(address.type as AddressType)) {
          throw new MappingProblem(
            `address type ${address.type} is not one of ${addressTypes.join(', ')}`,
            `addresses[${index}]`,
            address.pointer,
          );
        }
        return { type: address.type as AddressType, ...address.parts };
      });
    }
    if (this.profile.categories) {
      const categories = getAt(record, this.profile.categories) ?? [];
      if (!Array.isArray(categories) || categories.some((category) => typeof category !== 'string')) {
        throw new MappingProblem('expected a list of strings', 'categories', this.profile.categories);
      }
      contact.categories = categories as string[];
    }
    const extension: CrmRestExtension = { record: record as Record<string, unknown> };
    if (this.profile.hasPhoto) extension.hasPhoto = getAt(record, this.profile.hasPhoto) === true;
    contact.extensions = { [extensionKey]: extension };
    return contact;
  }

  /**
   * The CRM record for a create (no id) or an update. With `current`, the record as the CRM
   * holds it now, everything the profile does not map is kept, so an update never erases
   * data crmsync does not know about. Throws a MappingProblem for a value with no place.
   */
  toRecord(contact: Contact, purpose: 'create' | 'update', current?: unknown): Record<string, unknown> {
    this.refuseUnplaceable(contact);
    const record: Record<string, unknown> =
      current && typeof current === 'object' ? (structuredClone(current) as Record<string, unknown>) : {};
    if (current) this.clearMapped(record);
    // The version read earlier must not travel back as if it were the basis of this change.
    if (current && this.profile.version) deleteAt(record, normaliseMapping(this.profile.version).path);
    if (purpose === 'update' && contact.ids.crmId !== undefined)
      writeScalar(record, this.profile.id, 'ids.crmId', contact.ids.crmId);
    if (
      purpose === 'update' &&
      this.options.versionInBody &&
      this.profile.version &&
      contact.ids.crmVersion !== undefined
    ) {
      const mapping = normaliseMapping(this.profile.version);
      writeScalar(record, { ...mapping, readOnly: false }, 'ids.crmVersion', contact.ids.crmVersion);
    }
    for (const [field, mapping] of Object.entries(this.profile.fields) as [
      ContactScalarField,
      FieldMapping,
    ][]) {
      writeScalar(
        record,
        mapping,
        field,
        (contact as unknown as Record<string, string | boolean | undefined>)[field],
      );
    }
    if (current) this.keepCodesWithoutModelValue(record, current, contact);
    if (this.profile.emails) {
      writeValueList(
        record,
        this.profile.emails,
        'emails',
        contact.emails.map((email) => ({
          value: email.address,
          type: email.type,
          preferred: email.preferred,
        })),
      );
    }
    if (this.profile.phones) {
      writeValueList(
        record,
        this.profile.phones,
        'phones',
        contact.phones.map((phone) => ({
          value: phone.number,
          type: phone.type,
          preferred: phone.preferred,
        })),
      );
    }
    if (this.profile.addresses) {
      writeAddresses(
        record,
        this.profile.addresses,
        contact.addresses.map(({ type, ...parts }) => ({ type, parts })),
        this.ignored,
      );
    }
    if (this.profile.categories && contact.categories.length)
      setAt(record, this.profile.categories, [...contact.categories]);
    return record;
  }

  /**
   * A value the profile has no place for would vanish on the way to the CRM: that is refused
   * (naming the field) unless the profile lists the field under `ignore`.
   */
  private refuseUnplaceable(contact: Contact): void {
    const fields = contact as unknown as Record<string, unknown>;
    for (const field of placeableFields) {
      const value = fields[field];
      if (value === undefined || value === '' || this.profile.fields[field] || this.ignored.has(field))
        continue;
      throw new MappingProblem(
        `the CRM profile has no field for ${field} ${JSON.stringify(value)}; map it, or list it under contact.ignore to drop it`,
        field,
        '',
      );
    }
    const lists = [
      ['emails', contact.emails.length > 0, this.profile.emails],
      ['phones', contact.phones.length > 0, this.profile.phones],
      ['addresses', contact.addresses.length > 0, this.profile.addresses],
      ['categories', contact.categories.length > 0, this.profile.categories],
    ] as const;
    for (const [field, present, mapping] of lists) {
      if (!present || mapping !== undefined || this.ignored.has(field)) continue;
      throw new MappingProblem(
        `the CRM profile has no place for ${field}; map them, or list ${field} under contact.ignore to drop them`,
        field,
        '',
      );
    }
  }

  /**
   * A code that reads as "no value" (salutation "divers") stays as it is while the model value
   * stays empty: writing nothing would erase the CRM's code on every update.
   */
  private keepCodesWithoutModelValue(
    record: Record<string, unknown>,
    current: unknown,
    contact: Contact,
  ): void {
    for (const [field, mapping] of this.fieldMappings) {
      const scalar = normaliseMapping(mapping);
      if (scalar.readOnly || !scalar.values) continue;
      if ((contact as unknown as Record<string, unknown>)[field] !== undefined) continue;
      const raw = getAt(current, scalar.path);
      if (raw === undefined || raw === null) continue;
      if (scalar.values[valueKey(raw)] === null) setAt(record, scalar.path, raw);
    }
  }

  /** Removes every value the profile maps (and may write), leaving the CRM's other data alone. */
  private clearMapped(record: Record<string, unknown>): void {
    for (const [, mapping] of this.fieldMappings) {
      const scalar = normaliseMapping(mapping);
      if (!scalar.readOnly) deleteAt(record, scalar.path);
    }
    for (const list of [this.profile.emails, this.profile.phones]) {
      if (!list) continue;
      for (const slot of list.slots ?? []) deleteAt(record, slot.path);
      if (list.list === undefined) continue;
      const items = getAt(record, list.list);
      const type = list.type;
      if (list.ignoreOtherTypes && Array.isArray(items) && type && typeof type !== 'string') {
        // A shared list: only the items of the types this mapping owns are replaced.
        const owned = (item: unknown) => {
          const code = getAt(item, type.path);
          return Object.hasOwn(type.values, typeof code === 'string' ? code : JSON.stringify(code));
        };
        setAt(
          record,
          list.list,
          items.filter((item) => !owned(item)),
        );
      } else deleteAt(record, list.list);
    }
    const addresses = this.profile.addresses;
    if (addresses) {
      if (addresses.list !== undefined) deleteAt(record, addresses.list);
      for (const slot of addresses.slots ?? []) {
        for (const part of ['street', 'postalCode', 'city', 'region', 'country'] as const) {
          if (slot[part]) deleteAt(record, slot[part]!);
        }
      }
    }
    if (this.profile.categories) deleteAt(record, this.profile.categories);
  }
}
