import { readFileSync } from 'node:fs';
import {
  CrmsyncError,
  createAjv,
  describeViolations,
  resolveEnvReferences,
  type Validator,
} from '../../../../core/index.js';
import { ContactMapper } from '../mapping/contact-mapper.js';
import { getAt, hasAt, joinPointer } from '../mapping/json-pointer.js';
import { MappingProblem } from '../mapping/mapping-problem.js';
import { PartnerMapper } from '../mapping/partner-mapper.js';
import { normaliseMapping } from '../mapping/scalar.js';
import type { AddressListMapping, FieldMapping, Profile, ValueListMapping } from './profile.js';

/** The manifest's `contributes.configuration`: the one schema of a profile, for the kernel and for us. */
export function profileSchema(): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(new URL('../../plugin.json', import.meta.url), 'utf8'));
  return manifest.contributes.configuration;
}

let compiled: Validator | undefined;
function validator(): Validator {
  compiled ??= createAjv().compile(profileSchema());
  return compiled;
}

function invalid(file: string, pointer: string, message: string): CrmsyncError {
  return new CrmsyncError('CRMSYNC_ERR_PROFILE_INVALID', message, { file, pointer });
}

/**
 * Every mapping path must find something in the profile's sample record: a path with a typo
 * would otherwise read as an empty field on every contact, which nobody would notice.
 */
function checkPathsAgainstSample(profile: Profile, file: string): void {
  const check = (sample: unknown, path: string | undefined, at: string, what = 'the sample record') => {
    if (path === undefined) return;
    if (!hasAt(sample, path)) {
      throw invalid(file, at, `mapping path "${path}" matches nothing in ${what}`);
    }
  };
  const checkField = (sample: unknown, mapping: FieldMapping | undefined, at: string) => {
    if (mapping === undefined) return;
    check(sample, normaliseMapping(mapping).path, typeof mapping === 'string' ? at : `${at}/path`);
  };
  const firstItem = (sample: unknown, list: string, at: string): unknown => {
    check(sample, list, `${at}/list`);
    const items = getAt(sample, list);
    if (!Array.isArray(items) || items.length === 0) {
      throw invalid(
        file,
        `${at}/list`,
        `mapping path "${list}" must be a non-empty list in the sample record, so its items can be checked`,
      );
    }
    return items[0];
  };
  const checkValues = (sample: unknown, mapping: ValueListMapping | undefined, at: string) => {
    if (!mapping) return;
    mapping.slots?.forEach((slot, index) => {
      check(sample, slot.path, `${at}/slots/${index}/path`);
    });
    if (mapping.list !== undefined) {
      const item = firstItem(sample, mapping.list, at);
      check(item, mapping.value, `${at}/value`, `the first item of ${mapping.list} in the sample record`);
      if (mapping.type && typeof mapping.type !== 'string')
        check(item, mapping.type.path, `${at}/type/path`, `the first item of ${mapping.list}`);
      check(item, mapping.preferred, `${at}/preferred`, `the first item of ${mapping.list}`);
    }
  };
  const checkAddresses = (sample: unknown, mapping: AddressListMapping | undefined, at: string) => {
    if (!mapping) return;
    const parts = ['street', 'postalCode', 'city', 'region', 'country'] as const;
    mapping.slots?.forEach((slot, index) => {
      for (const part of parts) check(sample, slot[part], `${at}/slots/${index}/${part}`);
    });
    if (mapping.list !== undefined) {
      const item = firstItem(sample, mapping.list, at);
      for (const part of parts)
        check(item, mapping[part], `${at}/${part}`, `the first item of ${mapping.list}`);
    }
  };

  const contact = profile.contact;
  checkField(contact.sample, contact.id, '/contact/id');
  checkField(contact.sample, contact.version, '/contact/version');
  for (const [field, mapping] of Object.entries(contact.fields)) {
    checkField(contact.sample, mapping, joinPointer('/contact/fields', field));
  }
  checkValues(contact.sample, contact.emails, '/contact/emails');
  checkValues(contact.sample, contact.phones, '/contact/phones');
  checkAddresses(contact.sample, contact.addresses, '/contact/addresses');
  check(contact.sample, contact.categories, '/contact/categories');
  check(contact.sample, contact.hasPhoto, '/contact/hasPhoto');
  const partner = profile.partner;
  if (partner) {
    checkField(partner.sample, partner.id, '/partner/id');
    for (const [field, mapping] of Object.entries(partner.fields))
      checkField(partner.sample, mapping, joinPointer('/partner/fields', field));
    check(partner.sample, partner.emailDomains, '/partner/emailDomains');
    for (const [part, path] of Object.entries(partner.address ?? {}))
      check(partner.sample, path, `/partner/address/${part}`);
  }
}

/**
 * Checks a profile against the schema and its samples; the errors name the profile file and
 * the JSON pointer of what to fix. Returns the profile with `$schema` dropped.
 */
export function validateProfile(raw: unknown, file: string): Profile {
  const candidate =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : raw;
  if (candidate && typeof candidate === 'object') delete (candidate as Record<string, unknown>).$schema;
  const validate = validator();
  if (!validate(candidate)) {
    const [first, ...rest] = describeViolations(validate.errors);
    const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw invalid(file, first!.pointer, `${first!.message}${more}`);
  }
  const profile = candidate as Profile;
  const paging = profile.paging;
  const needs: Record<string, (keyof typeof paging)[]> = {
    cursor: ['cursorParam', 'nextCursor'],
    page: ['pageParam'],
    offset: ['offsetParam'],
    link: [],
    none: [],
  };
  for (const key of needs[paging.style] ?? []) {
    if (paging[key] === undefined)
      throw invalid(file, `/paging/${key}`, `paging style ${paging.style} needs ${key}`);
  }
  checkPathsAgainstSample(profile, file);
  // The sample must itself map cleanly: a value map that misses the sample's own codes is a profile error.
  try {
    new ContactMapper(profile.contact, { versionInBody: profile.concurrency?.mode === 'body' }).toContact(
      profile.contact.sample,
    );
    if (profile.partner) new PartnerMapper(profile.partner).toPartner(profile.partner.sample);
  } catch (error) {
    if (error instanceof MappingProblem) {
      throw invalid(
        file,
        '/contact/sample',
        `the sample record does not map: ${error.field} at ${error.pointer || '/'}: ${error.message}`,
      );
    }
    throw error;
  }
  return profile;
}

/** Reads a profile file the way the kernel reads the configuration: `${env:…}` resolved, also inside longer strings. */
export function loadProfileFile(file: string, env: NodeJS.ProcessEnv = process.env): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_PROFILE_MISSING',
      `cannot read the mapping profile: ${(error as Error).message}`,
      { file },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid(file, '', `not valid JSON: ${(error as Error).message}`);
  }
  // A profile file read directly (tests, tools) follows the same ${env:…} rules as one the kernel reads.
  return validateProfile(resolveEnvReferences(raw, file, env), file);
}
