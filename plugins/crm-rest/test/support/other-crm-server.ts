import Fastify, { type FastifyReply } from 'fastify';
import { emailKey, nameKey, toE164 } from '../../../../core/index.js';
import { seedDemoData } from '../../../../emulators/crm/seed/demo-data.js';
import { CrmStore } from '../../../../emulators/crm/store/crm-store.js';
import type { ContactDoc } from '../../../../emulators/crm/store/documents.js';

/**
 * A second CRM, shaped nothing like the reference one: German field names, nested objects,
 * numeric ids, one shared list of contact points, page-number paging, bearer tokens, a
 * revision inside the record (409 when stale) and photos as base64 JSON. The connector must
 * work with it through a profile alone.
 */
export interface Person {
  personId: number;
  org: { orgId: number; name: string };
  person: { anrede: number; titel?: string; vorname?: string; nachname: string };
  job: { position?: string; abteilung?: string };
  contactPoints: { channel: string; value: string; main?: boolean }[];
  postal?: { strasse?: string; plz?: string; ort?: string; land?: string };
  geburtstag?: string;
  bemerkung?: string;
  outlookSync: 'J' | 'N';
  meta: { rev: number; geaendert: string };
}

interface Org {
  orgId: number;
  name: string;
  rechtsform?: string;
  domains: string[];
  web?: string;
  tel?: string;
  sitz: { strasse?: string; plz?: string; ort?: string };
}

export interface OtherCrm {
  url: string;
  token: string;
  persons: Map<number, unknown>;
  orgIds: number[];
  faults: { status: number; retryAfter?: string }[];
  requests: string[];
  /** Stores a record as given, without checks, like a CRM with corrupted data. */
  insertRaw(record: Record<string, unknown>): number;
  close(): Promise<void>;
}

const anrede: Record<string, number> = { H: 1, F: 2, D: 3 };

function fromReference(doc: ContactDoc, orgIds: Map<string, number>, personId: number): Person {
  const points: Person['contactPoints'] = [];
  for (const email of doc.emails)
    points.push({
      channel: email.kind === 'private' ? 'MAIL_PRIVAT' : 'MAIL',
      value: email.address,
      ...(email.primary ? { main: true } : {}),
    });
  if (doc.phones.business) points.push({ channel: 'TEL', value: doc.phones.business });
  if (doc.phones.mobile) points.push({ channel: 'MOBIL', value: doc.phones.mobile });
  if (doc.phones.home) points.push({ channel: 'PRIVAT', value: doc.phones.home });
  if (doc.phones.fax) points.push({ channel: 'FAX', value: doc.phones.fax });
  return {
    personId,
    org: { orgId: orgIds.get(doc.partnerId)!, name: doc.partnerName ?? '' },
    person: {
      anrede: anrede[doc.salutationCode ?? 'D']!,
      titel: doc.title,
      vorname: doc.firstName,
      nachname: doc.lastName,
    },
    job: { position: doc.jobTitle, abteilung: doc.department },
    contactPoints: points,
    postal: doc.address
      ? {
          strasse: doc.address.street,
          plz: doc.address.postalCode,
          ort: doc.address.city,
          land: doc.address.country,
        }
      : undefined,
    geburtstag: doc.birthday,
    bemerkung: doc.notes,
    outlookSync: doc.groupwareSync ? 'J' : 'N',
    meta: { rev: 1, geaendert: doc.updatedAt },
  };
}

function problem(reply: FastifyReply, status: number, attr: string, msg: string) {
  return reply.code(status).send({ errors: [{ attr, msg }] });
}

/** Checks a person as this CRM would; returns the attribute that is wrong, if any. */
function invalidAttribute(body: Person, orgs: Map<number, Org>): [string, string] | undefined {
  if (!body || typeof body !== 'object') return ['(body)', 'expected an object'];
  if (typeof body.person?.nachname !== 'string' || !body.person.nachname)
    return ['person.nachname', 'is required'];
  if (!Number.isInteger(body.org?.orgId) || !orgs.has(body.org.orgId))
    return ['org.orgId', 'unknown organisation'];
  for (const [index, point] of (body.contactPoints ?? []).entries()) {
    const phone = ['TEL', 'MOBIL', 'PRIVAT', 'FAX'].includes(point.channel);
    const mail = point.channel.startsWith('MAIL');
    if ((mail && !/^[^@\s]+@[^@\s]+$/.test(point.value)) || (phone && !toE164(point.value))) {
      return [`contactPoints[${index}].value`, `not a valid ${point.channel} value`];
    }
  }
  return undefined;
}

export async function startOtherCrm(options: { contacts?: number; token?: string } = {}): Promise<OtherCrm> {
  const token = options.token ?? 'other-crm-token';
  const reference = new CrmStore(':memory:');
  seedDemoData(reference, { seed: 99, partners: 4, contacts: options.contacts ?? 60 });
  const orgs = new Map<number, Org>();
  const orgIds = new Map<string, number>();
  for (const doc of reference.searchPartners({}, 0, 1000).docs.map((text) => JSON.parse(text))) {
    const orgId = 300 + orgs.size;
    orgIds.set(doc.id, orgId);
    orgs.set(orgId, {
      orgId,
      name: doc.name,
      rechtsform: doc.legalForm,
      domains: doc.emailDomains,
      web: doc.website,
      tel: doc.phone,
      sitz: { strasse: doc.address?.street, plz: doc.address?.postalCode, ort: doc.address?.city },
    });
  }
  const persons = new Map<number, unknown>();
  const events: { seq: number; op: 'UPSERT' | 'DELETE'; personId: number }[] = [];
  const photos = new Map<number, { mime: string; base64: string }>();
  let nextId = 1000;
  const record = (op: 'UPSERT' | 'DELETE', personId: number) =>
    events.push({ seq: events.length + 1, op, personId });
  for (const text of reference.searchContacts({}, 0, 100_000).docs) {
    const id = nextId++;
    persons.set(id, JSON.parse(JSON.stringify(fromReference(JSON.parse(text), orgIds, id))));
    record('UPSERT', id);
  }
  reference.close();

  const faults: OtherCrm['faults'] = [];
  const requests: string[] = [];
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request, reply) => {
    requests.push(`${request.method} ${request.url.split('?')[0]}`);
    const auth = request.headers.authorization;
    if (!auth)
      return reply.code(401).send({ errors: [{ attr: 'Authorization', msg: 'Anmeldung erforderlich' }] });
    if (auth !== `Bearer ${token}`)
      return reply.code(403).send({ errors: [{ attr: 'Authorization', msg: 'Zugriff verweigert' }] });
    const fault = faults.shift();
    if (fault) {
      if (fault.retryAfter) reply.header('retry-after', fault.retryAfter);
      return reply.code(fault.status).send({ errors: [{ attr: '', msg: 'später erneut versuchen' }] });
    }
  });

  const matches = (person: Person, query: Record<string, string | string[] | undefined>): boolean => {
    const q = query.q as string | undefined;
    if (
      q &&
      !nameKey(`${person.person?.vorname ?? ''} ${person.person?.nachname ?? ''}`).includes(nameKey(q))
    )
      return false;
    if (query.org && String(person.org?.orgId) !== query.org) return false;
    if (query.ort && nameKey(person.postal?.ort ?? '') !== nameKey(query.ort as string)) return false;
    if (query.sync && person.outlookSync !== query.sync) return false;
    const points = Array.isArray(person.contactPoints) ? person.contactPoints : [];
    const mails = ([] as string[]).concat(query.mail ?? []).map(emailKey);
    if (
      mails.length &&
      !points.some((p) => typeof p?.value === 'string' && mails.includes(emailKey(p.value)))
    )
      return false;
    const tels = ([] as string[]).concat(query.tel ?? []).map((t) => toE164(t) ?? t);
    if (
      tels.length &&
      !points.some((p) => typeof p?.value === 'string' && tels.includes(toE164(p.value) ?? ''))
    )
      return false;
    return true;
  };

  app.get('/v2/people', async (request) => {
    const query = request.query as Record<string, string>;
    const page = Number(query.page ?? 1);
    const perPage = Number(query.per_page ?? 20);
    const all = [...persons.values()].filter((p) => matches(p as Person, query));
    if (query.offset !== undefined) {
      const offset = Number(query.offset);
      return { data: all.slice(offset, offset + Number(query.limit ?? 20)), meta: { total: all.length } };
    }
    return {
      data: all.slice((page - 1) * perPage, page * perPage),
      meta: { page, per_page: perPage, total_pages: Math.max(1, Math.ceil(all.length / perPage)) },
    };
  });
  app.get('/v2/people/search', async (request) => {
    const query = request.query as Record<string, string | string[]>;
    if (!query.mail && !query.tel) return { data: [] };
    return { data: [...persons.values()].filter((p) => matches(p as Person, query)) };
  });
  app.get('/v2/people/events', async (request) => {
    const query = request.query as Record<string, string>;
    const after = Number(query.after ?? 0);
    const max = Number(query.max ?? 50);
    // An upsert of a person deleted since is left out: the deletion later in the log says it all.
    const pending = events.filter(
      (event) => event.seq > after && (event.op === 'DELETE' || persons.has(event.personId)),
    );
    const slice = pending.slice(0, max);
    return {
      events: slice.map((event) => ({
        op: event.op,
        personId: event.personId,
        ...(event.op === 'UPSERT' ? { person: persons.get(event.personId) } : {}),
      })),
      next_token: String(slice.at(-1)?.seq ?? after),
      more: pending.length > slice.length,
    };
  });
  app.get('/v2/people/:pid', async (request, reply) => {
    const person = persons.get(Number((request.params as { pid: string }).pid));
    return person ? { person } : problem(reply, 404, 'personId', 'unbekannt');
  });
  app.post('/v2/people', async (request, reply) => {
    const body = request.body as Person;
    const invalid = invalidAttribute(body, orgs);
    if (invalid) return problem(reply, 422, ...invalid);
    const id = nextId++;
    const person = {
      ...body,
      personId: id,
      org: { ...body.org, name: orgs.get(body.org.orgId)!.name },
      meta: { rev: 1, geaendert: new Date().toISOString() },
    };
    persons.set(id, person);
    record('UPSERT', id);
    return reply.code(201).send({ person });
  });
  app.put('/v2/people/:pid', async (request, reply) => {
    const id = Number((request.params as { pid: string }).pid);
    const current = persons.get(id) as Person | undefined;
    if (!current) return problem(reply, 404, 'personId', 'unbekannt');
    const body = request.body as Person;
    const invalid = invalidAttribute(body, orgs);
    if (invalid) return problem(reply, 422, ...invalid);
    if (body.meta?.rev !== current.meta.rev)
      return problem(reply, 409, 'meta.rev', `Revision ${current.meta.rev} ist aktuell`);
    const person = {
      ...body,
      personId: id,
      org: { ...body.org, name: orgs.get(body.org.orgId)!.name },
      meta: { rev: current.meta.rev + 1, geaendert: new Date().toISOString() },
    };
    persons.set(id, person);
    record('UPSERT', id);
    return { person };
  });
  app.delete('/v2/people/:pid', async (request, reply) => {
    const id = Number((request.params as { pid: string }).pid);
    if (!persons.delete(id)) return problem(reply, 404, 'personId', 'unbekannt');
    photos.delete(id);
    record('DELETE', id);
    return reply.code(204).send();
  });
  app.get('/v2/people/:pid/picture', async (request, reply) => {
    const photo = photos.get(Number((request.params as { pid: string }).pid));
    return photo ?? problem(reply, 404, 'picture', 'kein Bild');
  });
  app.put('/v2/people/:pid/picture', async (request, reply) => {
    const id = Number((request.params as { pid: string }).pid);
    const body = request.body as { mime?: string; base64?: string };
    if (!persons.has(id)) return problem(reply, 404, 'personId', 'unbekannt');
    if (typeof body?.base64 !== 'string' || !/^image\//.test(body.mime ?? ''))
      return problem(reply, 422, 'base64', 'kein Bild');
    photos.set(id, { mime: body.mime!, base64: body.base64 });
    return reply.code(204).send();
  });
  app.delete('/v2/people/:pid/picture', async (request, reply) => {
    photos.delete(Number((request.params as { pid: string }).pid));
    return reply.code(204).send();
  });
  app.get('/v2/orgs', async (request) => {
    const query = request.query as Record<string, string>;
    const all = [...orgs.values()].filter(
      (org) =>
        (!query.name || nameKey(org.name).includes(nameKey(query.name))) &&
        (!query.domain || org.domains.includes(query.domain.toLowerCase())) &&
        (!query.ort || nameKey(org.sitz.ort ?? '') === nameKey(query.ort)),
    );
    const page = Number(query.page ?? 1);
    const perPage = Number(query.per_page ?? 20);
    return {
      data: all.slice((page - 1) * perPage, page * perPage),
      meta: { page, per_page: perPage, total_pages: Math.max(1, Math.ceil(all.length / perPage)) },
    };
  });
  app.get('/v2/orgs/:oid', async (request, reply) => {
    const org = orgs.get(Number((request.params as { oid: string }).oid));
    return org ? { org } : problem(reply, 404, 'orgId', 'unbekannt');
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    token,
    persons,
    orgIds: [...orgs.keys()],
    faults,
    requests,
    insertRaw(raw) {
      const id = nextId++;
      persons.set(id, { ...raw, personId: id });
      record('UPSERT', id);
      return id;
    },
    close: () => app.close(),
  };
}
