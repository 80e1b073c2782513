import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { contactDataOf } from '../store/contact-properties.js';
import type { ExtendedProperty, GraphStore, Mailbox } from '../store/mailbox-store.js';
import { badRequest, notFound } from './graph-error.js';
import { checkIfMatch } from './if-match.js';
import { contactFilter, contactJson, pageSize, type Query, skipOf } from './odata-query.js';

type Params = { user: string; folder?: string; contact?: string };

export interface RouteContext {
  store: GraphStore;
  /** `https://host:port`, for the absolute links Graph answers with. */
  origin(): string;
}

/**
 * Contacts and contact folders below `/users/{id}`: create, read, list with paging and the
 * documented filters, update with If-Match, delete.
 */
export function registerContactRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  const mailboxOf = (request: FastifyRequest) => store.mailbox((request.params as Params).user);
  const folderOf = (request: FastifyRequest, mailbox: Mailbox) => {
    const { folder } = request.params as Params;
    if (folder === undefined) return mailbox.defaultFolderId;
    mailbox.folder(folder);
    return folder;
  };
  /** A contact addressed through a folder must lie in it; through `/contacts` it may lie anywhere. */
  const contactOf = (request: FastifyRequest, mailbox: Mailbox) => {
    const { folder, contact: id } = request.params as Params;
    const contact = mailbox.contact(id!);
    if (folder !== undefined && contact.folderId !== folder) throw notFound();
    return contact;
  };
  const contextUrl = (request: FastifyRequest) =>
    `${context.origin()}/v1.0/$metadata#users('${encodeURIComponent((request.params as Params).user)}')/contacts`;

  const list = async (request: FastifyRequest) => {
    const mailbox = mailboxOf(request);
    const folderId = folderOf(request, mailbox);
    const query = request.query as Query;
    const filter = contactFilter(query);
    const top = pageSize(query);
    const skip = skipOf(query);
    const matching = mailbox.contactsIn(folderId).filter((contact) => !filter || filter(contact));
    const page = matching.slice(skip, skip + top);
    const answer: Record<string, unknown> = {
      '@odata.context': contextUrl(request),
      value: page.map((contact) => contactJson(contact, query, contextUrl(request))),
    };
    if (skip + top < matching.length)
      answer['@odata.nextLink'] = nextLink(context.origin(), request.url, skip + top);
    return answer;
  };

  const create = async (request: FastifyRequest, reply: FastifyReply) => {
    const mailbox = mailboxOf(request);
    const folderId = folderOf(request, mailbox);
    const body = objectBody(request);
    const contact = mailbox.createContact(folderId, contactDataOf(body), extendedOf(body));
    return reply
      .code(201)
      .header(
        'Location',
        `${context.origin()}/v1.0/users('${(request.params as Params).user}')/contacts('${contact.id}')`,
      )
      .send({ '@odata.context': `${contextUrl(request)}/$entity`, ...contactJson(contact, {}) });
  };

  const get = async (request: FastifyRequest) => {
    const mailbox = mailboxOf(request);
    const contact = contactOf(request, mailbox);
    return {
      '@odata.context': `${contextUrl(request)}/$entity`,
      ...contactJson(contact, request.query as Query, contextUrl(request)),
    };
  };

  const update = async (request: FastifyRequest) => {
    const mailbox = mailboxOf(request);
    const contact = contactOf(request, mailbox);
    checkIfMatch(request, contact);
    const body = objectBody(request);
    const updated = mailbox.updateContact(contact.id, contactDataOf(body), extendedOf(body));
    return { '@odata.context': `${contextUrl(request)}/$entity`, ...contactJson(updated, {}) };
  };

  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const mailbox = mailboxOf(request);
    const contact = contactOf(request, mailbox);
    checkIfMatch(request, contact);
    mailbox.deleteContact(contact.id);
    return reply.code(204).send();
  };

  for (const base of ['/v1.0/users/:user', '/v1.0/users/:user/contactFolders/:folder']) {
    app.get(`${base}/contacts`, list);
    app.post(`${base}/contacts`, create);
    app.get(`${base}/contacts/:contact`, get);
    app.patch(`${base}/contacts/:contact`, update);
    app.delete(`${base}/contacts/:contact`, remove);
  }
  registerFolderRoutes(app, context);
}

function registerFolderRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  const folderJson = (folder: { id: string; displayName: string; parentFolderId: string }) => ({
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentFolderId,
  });
  const contextUrl = (request: FastifyRequest) =>
    `${context.origin()}/v1.0/$metadata#users('${encodeURIComponent((request.params as Params).user)}')/contactFolders`;
  const listIn =
    (parent: (mailbox: Mailbox, request: FastifyRequest) => string) => async (request: FastifyRequest) => {
      const mailbox = store.mailbox((request.params as Params).user);
      const query = request.query as Query;
      const top = pageSize(query);
      const skip = skipOf(query);
      const folders = mailbox.childFolders(parent(mailbox, request)).filter(displayNameFilter(query));
      const answer: Record<string, unknown> = {
        '@odata.context': contextUrl(request),
        value: folders.slice(skip, skip + top).map(folderJson),
      };
      if (skip + top < folders.length)
        answer['@odata.nextLink'] = nextLink(context.origin(), request.url, skip + top);
      return answer;
    };
  const createIn =
    (parent: (mailbox: Mailbox, request: FastifyRequest) => string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const mailbox = store.mailbox((request.params as Params).user);
      const body = objectBody(request);
      const folder = mailbox.createFolder(body.displayName, parent(mailbox, request));
      return reply
        .code(201)
        .send({ '@odata.context': `${contextUrl(request)}/$entity`, ...folderJson(folder) });
    };
  // Top-level folders are the ones inside the default Contacts folder, which the list leaves out.
  const topLevel = (mailbox: Mailbox) => mailbox.defaultFolderId;
  const named = (mailbox: Mailbox, request: FastifyRequest) =>
    mailbox.folder((request.params as Params).folder!).id;
  app.get('/v1.0/users/:user/contactFolders', listIn(topLevel));
  app.post('/v1.0/users/:user/contactFolders', createIn(topLevel));
  app.get('/v1.0/users/:user/contactFolders/:folder/childFolders', listIn(named));
  app.post('/v1.0/users/:user/contactFolders/:folder/childFolders', createIn(named));
  app.get('/v1.0/users/:user/contactFolders/:folder', async (request) => {
    const mailbox = store.mailbox((request.params as Params).user);
    return {
      '@odata.context': `${contextUrl(request)}/$entity`,
      ...folderJson(mailbox.folder((request.params as Params).folder!)),
    };
  });
  app.patch('/v1.0/users/:user/contactFolders/:folder', async (request) => {
    const mailbox = store.mailbox((request.params as Params).user);
    const folder = mailbox.renameFolder((request.params as Params).folder!, objectBody(request).displayName);
    return { '@odata.context': `${contextUrl(request)}/$entity`, ...folderJson(folder) };
  });
  app.delete('/v1.0/users/:user/contactFolders/:folder', async (request, reply) => {
    store.mailbox((request.params as Params).user).deleteFolder((request.params as Params).folder!);
    return reply.code(204).send();
  });
}

const folderNameFilter = /^displayName\s+eq\s+'((?:[^']|'')*)'$/i;

/** `$filter=displayName eq '…'`, the usual way to find a folder by name. */
function displayNameFilter(query: Query): (folder: { displayName: string }) => boolean {
  const filter = query.$filter?.trim();
  if (!filter) return () => true;
  const match = folderNameFilter.exec(filter);
  if (!match)
    throw badRequest('The query filter contains one or more invalid nodes.', 'ErrorInvalidUrlQueryFilter');
  const name = match[1]!.replaceAll("''", "'");
  return (folder) => folder.displayName === name;
}

/** The next page's absolute link: the same request with `$skip` moved on, as Graph builds it. */
export function nextLink(origin: string, url: string, skip: number): string {
  const [path, search = ''] = url.split('?');
  const params = search.split('&').filter((pair) => pair && !/^(\$|%24)skip=/i.test(pair));
  params.push(`$skip=${skip}`);
  return `${origin}${path}?${params.join('&')}`;
}

export function objectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('Empty Payload, JSON content expected.', 'BadRequest');
  return body as Record<string, unknown>;
}

function extendedOf(body: Record<string, unknown>): ExtendedProperty[] {
  const list = body.singleValueExtendedProperties;
  if (list === undefined) return [];
  if (!Array.isArray(list))
    throw badRequest("Invalid value for property 'singleValueExtendedProperties'.", 'RequestBodyRead');
  return list.map((entry) => {
    const { id, value } = (entry ?? {}) as Record<string, unknown>;
    if (
      typeof id !== 'string' ||
      !/^\w+ (\{[0-9a-f-]{36}\} (Name \S.*|Id 0x[0-9a-f]+)|0x[0-9a-f]+)$/i.test(id)
    )
      throw badRequest(`The property id '${String(id)}' is not valid.`, 'ErrorInvalidProperty');
    if (typeof value !== 'string')
      throw badRequest('The value of an extended property must be a string.', 'RequestBodyRead');
    return { id, value };
  });
}
