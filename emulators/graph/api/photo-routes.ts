import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphStore } from '../store/mailbox-store.js';
import { badRequest, GraphFailure, notFound } from './graph-error.js';
import { checkIfMatch } from './if-match.js';

type Params = { user: string; folder?: string; contact: string };

const photoTypes = /^image\/(jpeg|png|gif|bmp)$/i;

/**
 * Contact photos: the bytes at `photo/$value` (PUT or PATCH to set, GET to read, 404 without
 * one) and the metadata at `photo`. A removal by DELETE is offered as the newer API offers it
 * for profile photos.
 */
export function registerPhotoRoutes(app: FastifyInstance, store: GraphStore, origin: () => string): void {
  const contactOf = (request: FastifyRequest) => {
    const { user, folder, contact: id } = request.params as Params;
    const contact = store.mailbox(user).contact(id);
    if (folder !== undefined && contact.folderId !== folder) throw notFound();
    return { mailbox: store.mailbox(user), contact };
  };
  const noPhoto = () => notFound("The photo wasn't found.");

  const read = async (request: FastifyRequest, reply: FastifyReply) => {
    const { contact } = contactOf(request);
    if (!contact.photo) throw noPhoto();
    return reply.type(contact.photo.mediaType).send(contact.photo.bytes);
  };
  const write = async (request: FastifyRequest, reply: FastifyReply) => {
    const { mailbox, contact } = contactOf(request);
    checkIfMatch(request, contact);
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (!photoTypes.test(type))
      throw new GraphFailure(
        415,
        'UnsupportedMediaType',
        `The content type '${type}' is not supported for a photo.`,
      );
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0)
      throw badRequest('The photo is empty.', 'ErrorInvalidImage');
    mailbox.setPhoto(contact.id, { bytes, mediaType: type.toLowerCase() });
    return reply.code(200).send();
  };
  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const { mailbox, contact } = contactOf(request);
    checkIfMatch(request, contact);
    if (contact.photo) mailbox.setPhoto(contact.id, undefined);
    return reply.code(204).send();
  };
  const metadata = async (request: FastifyRequest) => {
    const { contact } = contactOf(request);
    if (!contact.photo) throw noPhoto();
    const size = pngSize(contact.photo.bytes);
    const item = `${origin()}/v1.0/users('${(request.params as Params).user}')/contacts('${contact.id}')`;
    return {
      '@odata.context': `${origin()}/v1.0/$metadata#users('${(request.params as Params).user}')/contacts('${contact.id}')/photo/$entity`,
      '@odata.id': `${item}/photo`,
      '@odata.mediaContentType': contact.photo.mediaType,
      '@odata.mediaEtag': `"${contact.changeKey}"`,
      id: size ? `${size.width}X${size.height}` : 'default',
      width: size?.width ?? null,
      height: size?.height ?? null,
    };
  };
  for (const base of [
    '/v1.0/users/:user/contacts/:contact',
    '/v1.0/users/:user/contactFolders/:folder/contacts/:contact',
  ]) {
    app.get(`${base}/photo/$value`, read);
    app.put(`${base}/photo/$value`, write);
    app.patch(`${base}/photo/$value`, write);
    app.delete(`${base}/photo/$value`, remove);
    app.get(`${base}/photo`, metadata);
  }
}

function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
