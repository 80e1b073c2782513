import { countryCode } from '../../../../core/index.js';
import type { AddressListMapping, TypeSource, ValueListMapping } from '../profile/profile.js';
import { getAt, joinPointer, setAt } from './json-pointer.js';
import { MappingProblem } from './mapping-problem.js';

/** One value of a multi-valued field (e-mail, phone) as found in a record, and where. */
export interface ListedValue {
  value: string;
  type: string;
  preferred?: boolean;
  pointer: string;
}

export interface ListedAddress {
  type: string;
  parts: Partial<Record<AddressPart, string>>;
  pointer: string;
}

export const addressParts = ['street', 'postalCode', 'city', 'region', 'country'] as const;
export type AddressPart = (typeof addressParts)[number];

function itemType(
  item: unknown,
  type: TypeSource | undefined,
  fallback: string,
  field: string,
  pointer: string,
) {
  if (type === undefined) return fallback;
  if (typeof type === 'string') return type;
  const code = getAt(item, type.path);
  const key = typeof code === 'string' ? code : JSON.stringify(code);
  if (!Object.hasOwn(type.values, key)) {
    return new MappingProblem(
      `type ${JSON.stringify(code)} is not in the profile's value map`,
      field,
      pointer + type.path,
    );
  }
  return type.values[key]!;
}

function listAt(record: unknown, path: string, field: string): unknown[] {
  const list = getAt(record, path);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list))
    throw new MappingProblem(`expected a list, got ${JSON.stringify(list)}`, field, path);
  return list;
}

function stringAt(item: unknown, path: string, field: string, pointer: string): string | undefined {
  const value = getAt(item, path);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new MappingProblem(`expected a string, got ${JSON.stringify(value)}`, field, pointer);
  return value;
}

/** The CRM's code for a model type; a type without one is a MappingProblem, never another type's code. */
function codeFor(
  type: { path: string; values: Record<string, string> },
  modelType: string,
  field: string,
  value: string,
  list: string,
): string {
  const code = Object.keys(type.values).find((candidate) => type.values[candidate] === modelType);
  if (code === undefined) {
    const known = [...new Set(Object.values(type.values))].join(', ');
    throw new MappingProblem(
      `the CRM has no code for type ${modelType} of ${JSON.stringify(value)} (it knows ${known})`,
      field,
      list + type.path,
    );
  }
  return code;
}

export function readValueList(
  record: unknown,
  mapping: ValueListMapping,
  field: string,
  fallbackType: string,
): ListedValue[] {
  const found: ListedValue[] = [];
  for (const slot of mapping.slots ?? []) {
    const value = stringAt(record, slot.path, field, slot.path);
    if (value) found.push({ value, type: slot.type, pointer: slot.path });
  }
  if (mapping.list) {
    listAt(record, mapping.list, field).forEach((item, index) => {
      const pointer = joinPointer(mapping.list!, index);
      const type = itemType(item, mapping.type, fallbackType, `${field}[${index}]`, pointer);
      if (type instanceof MappingProblem) {
        if (mapping.ignoreOtherTypes) return;
        throw type;
      }
      const value = stringAt(
        item,
        mapping.value ?? '',
        `${field}[${index}]`,
        pointer + (mapping.value ?? ''),
      );
      if (!value) return;
      const preferred = mapping.preferred ? getAt(item, mapping.preferred) === true : undefined;
      found.push({
        value,
        type,
        pointer: pointer + (mapping.value ?? ''),
        ...(preferred ? { preferred } : {}),
      });
    });
  }
  return found;
}

/**
 * Puts values into slots by type (left-overs into an `other` slot); a value with no place left
 * is a MappingProblem, because dropping it would lose data silently.
 */
export function writeValueList(
  target: Record<string, unknown>,
  mapping: ValueListMapping,
  field: string,
  values: readonly { value: string; type: string; preferred?: boolean }[],
): void {
  if (mapping.list) {
    const existing = getAt(target, mapping.list);
    const list: unknown[] = Array.isArray(existing) ? existing : [];
    for (const entry of values) {
      const item: Record<string, unknown> = {};
      const value = mapping.value ?? '';
      if (value === '') {
        list.push(entry.value);
        continue;
      }
      setAt(item, value, entry.value);
      if (mapping.type && typeof mapping.type !== 'string') {
        // A type the CRM has no code for is refused: another type's label would tell a falsehood.
        setAt(item, mapping.type.path, codeFor(mapping.type, entry.type, field, entry.value, mapping.list));
      }
      if (mapping.preferred && entry.preferred) setAt(item, mapping.preferred, true);
      list.push(item);
    }
    if (values.length || existing !== undefined) setAt(target, mapping.list, list);
    return;
  }
  const slots = mapping.slots ?? [];
  const used = new Set<number>();
  const placed = new Set<number>();
  const place = (accepts: (slotType: string, valueType: string) => boolean) => {
    values.forEach((entry, valueIndex) => {
      if (placed.has(valueIndex)) return;
      const slotIndex = slots.findIndex((slot, index) => !used.has(index) && accepts(slot.type, entry.type));
      if (slotIndex < 0) return;
      used.add(slotIndex);
      placed.add(valueIndex);
      setAt(target, slots[slotIndex]!.path, entry.value);
    });
  };
  place((slotType, valueType) => slotType === valueType);
  place((slotType) => slotType === 'other');
  const lost = values.find((_entry, index) => !placed.has(index));
  if (lost) {
    throw new MappingProblem(
      `the CRM has no free place for ${field === 'phones' ? 'phone number' : 'value'} ${JSON.stringify(lost.value)} of type ${lost.type}`,
      field,
      slots.map((slot) => slot.path).join(', '),
    );
  }
}

export function readAddresses(record: unknown, mapping: AddressListMapping): ListedAddress[] {
  const found: ListedAddress[] = [];
  const readParts = (
    item: unknown,
    fields: Partial<Record<AddressPart, string>>,
    base: string,
    field: string,
  ) => {
    const parts: Partial<Record<AddressPart, string>> = {};
    for (const part of addressParts) {
      const path = fields[part];
      if (!path) continue;
      const value = getAt(item, path);
      if (value === undefined || value === null || value === '') continue;
      if (typeof value === 'number' && part === 'postalCode') parts[part] = String(value);
      else if (typeof value !== 'string') {
        throw new MappingProblem(
          `expected a string, got ${JSON.stringify(value)}`,
          `${field}.${part}`,
          base + path,
        );
      } else parts[part] = value;
    }
    return parts;
  };
  (mapping.slots ?? []).forEach((slot) => {
    const parts = readParts(record, slot, '', 'addresses');
    if (Object.keys(parts).length)
      found.push({ type: slot.type, parts, pointer: slot.street ?? slot.city ?? '' });
  });
  if (mapping.list) {
    listAt(record, mapping.list, 'addresses').forEach((item, index) => {
      const pointer = joinPointer(mapping.list!, index);
      const type = itemType(item, mapping.type, 'business', `addresses[${index}]`, pointer);
      if (type instanceof MappingProblem) throw type;
      const parts = readParts(item, mapping, pointer, `addresses[${index}]`);
      if (Object.keys(parts).length) found.push({ type, parts, pointer });
    });
  }
  return found;
}

/**
 * Puts addresses into the list or the slots of their type (left-overs into an `other` slot).
 * A part the CRM has no field for is a MappingProblem unless the profile ignores it
 * (`addresses.region`), and an address is never filed under another type.
 */
export function writeAddresses(
  target: Record<string, unknown>,
  mapping: AddressListMapping,
  addresses: readonly { type: string; parts: Partial<Record<AddressPart, string>> }[],
  ignored: ReadonlySet<string> = new Set(),
): void {
  const writeParts = (
    item: Record<string, unknown>,
    fields: Partial<Record<AddressPart, string>>,
    address: { type: string; parts: Partial<Record<AddressPart, string>> },
  ) => {
    for (const part of addressParts) {
      const value = address.parts[part];
      if (value === undefined || value === '') continue;
      if (fields[part])
        setAt(item, fields[part]!, part === 'country' ? countryAs(mapping, value, address.type) : value);
      else if (!ignored.has(`addresses.${part}`)) {
        throw new MappingProblem(
          `the CRM has no field for the ${part} ${JSON.stringify(value)} of a ${address.type} address`,
          `addresses.${part}`,
          '',
        );
      }
    }
  };
  if (mapping.list) {
    const list = addresses.map((address) => {
      const item: Record<string, unknown> = {};
      writeParts(item, mapping, address);
      if (mapping.type && typeof mapping.type !== 'string') {
        const label = Object.values(address.parts).filter(Boolean).join(', ');
        setAt(
          item,
          mapping.type.path,
          codeFor(mapping.type, address.type, 'addresses', label, mapping.list!),
        );
      }
      return item;
    });
    setAt(target, mapping.list, list);
    return;
  }
  const slots = mapping.slots ?? [];
  const remaining = [...addresses];
  const taken = new Set<number>();
  // Exact type first; then a slot meant for other addresses. A home address in the business
  // slot would tell the CRM's users a falsehood, so it is refused instead.
  for (const pass of ['exact', 'other'] as const) {
    slots.forEach((slot, slotIndex) => {
      if (taken.has(slotIndex)) return;
      if (pass === 'other' && slot.type !== 'other') return;
      const index = remaining.findIndex((address) => pass === 'other' || address.type === slot.type);
      if (index < 0) return;
      taken.add(slotIndex);
      writeParts(target, slot, remaining.splice(index, 1)[0]!);
    });
  }
  if (remaining.length) {
    throw new MappingProblem(
      `the CRM has no free place for a ${remaining[0]!.type} address`,
      'addresses',
      '',
    );
  }
}

/** The country as the CRM keeps it: as written, or as its ISO code when the profile says so. */
function countryAs(mapping: AddressListMapping, country: string, addressType: string): string {
  if (mapping.countryFormat !== 'iso-3166-alpha-2') return country;
  const code = countryCode(country);
  if (code) return code;
  throw new MappingProblem(
    `the country ${JSON.stringify(country)} of a ${addressType} address is no country name or code crmsync knows, and the CRM keeps countries as ISO 3166 codes such as DE`,
    'addresses.country',
    '',
  );
}
