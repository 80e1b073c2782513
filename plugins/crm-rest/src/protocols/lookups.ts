import { emailKey, type Fetched, type KeyedContact, toE164 } from '../../../../core/index.js';
import { type CrmRecords, label } from '../crm-records.js';
import { listAt } from '../http/list-at.js';
import { setAt } from '../mapping/json-pointer.js';
import type { LookupEndpoint } from '../profile/profile.js';

/** Matches a found contact to the keys the caller gave (e-mail keys, or E.164 numbers). */
type KeysOf = (contact: KeyedContact['contact']) => Iterable<string>;

/**
 * Bulk lookups by e-mail address or phone number, in batches the profile sets. Each contact
 * found comes once per caller key that found it; a malformed record is a problem in the stream.
 */
export class Lookups {
  constructor(private readonly crm: CrmRecords) {}

  findByEmails(emails: readonly string[]): AsyncIterable<Fetched<KeyedContact>> {
    const byKey = new Map<string, string[]>();
    for (const email of emails) {
      const trimmed = email.trim();
      if (trimmed) byKey.set(emailKey(trimmed), [...(byKey.get(emailKey(trimmed)) ?? []), email]);
    }
    const values = [...new Set(emails.map((email) => email.trim()).filter(Boolean))];
    return this.lookup(this.crm.require('lookupByEmails'), values, byKey, (contact) =>
      contact.emails.map((email) => emailKey(email.address)),
    );
  }

  findByPhones(phones: readonly string[]): AsyncIterable<Fetched<KeyedContact>> {
    const endpoint = this.crm.require('lookupByPhones');
    const byKey = new Map<string, string[]>();
    for (const phone of phones) {
      const e164 = toE164(phone);
      if (e164) byKey.set(e164, [...(byKey.get(e164) ?? []), phone]);
    }
    const sent = endpoint.phoneFormat === 'asGiven' ? phones : phones.map((phone) => toE164(phone) ?? phone);
    return this.lookup(
      endpoint,
      [...new Set(sent.filter((value) => value.trim() !== ''))],
      byKey,
      (contact) => contact.phones.flatMap((phone) => (phone.e164 ? [phone.e164] : [])),
    );
  }

  private async *lookup(
    endpoint: LookupEndpoint,
    values: readonly string[],
    callerKeys: ReadonlyMap<string, string[]>,
    keysOf: KeysOf,
  ): AsyncIterable<Fetched<KeyedContact>> {
    const where = label(endpoint, endpoint.bodyField !== undefined ? 'POST' : 'GET');
    const batchSize = endpoint.batchSize ?? 200;
    // A contact found by two batches (two of its addresses) is yielded once per key all the same.
    const seen = new Set<string>();
    for (let start = 0; start < values.length; start += batchSize) {
      const batch = values.slice(start, start + batchSize);
      const query: [string, string][] = Object.entries(endpoint.fixedParams ?? {});
      let json: Record<string, unknown> | undefined;
      if (endpoint.bodyField !== undefined) {
        json = {};
        setAt(json, endpoint.bodyField, batch);
      } else for (const value of batch) query.push([endpoint.queryParam ?? 'q', value]);
      const { body } = await this.crm.http.json({
        method: endpoint.method ?? (json ? 'POST' : 'GET'),
        path: endpoint.path,
        query,
        json,
        endpoint: where,
        idempotent: true,
      });
      for (const item of listAt(body, endpoint.items, 'the lookup answer', where)) {
        const mapped = this.crm.contact(item, where);
        if (!mapped.ok) {
          const id = mapped.problem.location.recordId;
          if (id !== undefined && seen.has(`problem:${id}`)) continue;
          if (id !== undefined) seen.add(`problem:${id}`);
          yield mapped;
          continue;
        }
        const contact = mapped.value;
        for (const key of new Set(keysOf(contact))) {
          for (const given of callerKeys.get(key) ?? []) {
            const pair = `${contact.ids.crmId}\u0000${given}`;
            if (seen.has(pair)) continue;
            seen.add(pair);
            yield { ok: true, value: { key: given, contact } };
          }
        }
      }
    }
  }
}
