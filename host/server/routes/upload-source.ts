import type { Multipart } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CrmsyncError, type HostLimits, type Services } from '../../../core/index.js';
import { arrivingWithin } from '../files/body-deadline.js';
import type { HeavyRequestGate } from '../files/heavy-request-gate.js';
import { singleQueryValue } from '../files/query.js';
import { checkAnnouncedLength, limitedBytes, withFirstChunk } from '../files/request-bytes.js';

export interface UploadedFile {
  fileName: string;
  importerId: string | undefined;
  /** The upload's bytes as they arrive, never buffered; past `host.limits.uploadBytes` they fail with 413. */
  source: AsyncIterable<Uint8Array>;
}

export interface UploadLimits {
  limits: HostLimits;
  /** host.timeouts.requestMs: the longest a body may take to arrive. */
  requestMs: number;
  gate: HeavyRequestGate;
}

/**
 * What a form may hold besides its one file (a browser's FormData sends the fields of its
 * form too): a few short fields, each read whole by the form parser, so they are kept small.
 */
const formLimits = { fields: 20, fieldSize: 1024, parts: 21, headerPairs: 100 } as const;
/** The form's own bytes around the file: boundaries, part headers, the fields above. */
const formOverheadBytes = 64 * 1024;

/**
 * An uploaded contact file as the import routes read it: the raw body named by `?fileName=`
 * (or `x-file-name`), or the one file part of a `multipart/form-data` form, named by its own
 * file name. Either way it is checked against the upload limit before and while it arrives,
 * streamed without being buffered, and counted as a heavy request until its answer ends.
 */
export async function uploadedFile(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  { limits, requestMs, gate }: UploadLimits,
): Promise<UploadedFile> {
  const importerId = singleQueryValue(request.query, 'importer');
  const named = singleQueryValue(request.query, 'fileName') ?? request.headers['x-file-name']?.toString();
  const multipart = request.isMultipart();
  if (!multipart) checkFileName(named, services, importerId);
  const announced = limits.uploadBytes + (multipart ? formOverheadBytes : 0);
  checkAnnouncedLength(request.headers['content-length'], announced, 'host.limits.uploadBytes');
  const release = gate.enter();
  reply.raw.once('close', release);

  let fileName = named;
  let body: AsyncIterable<Uint8Array> | undefined;
  if (multipart) {
    const form = await formFile(request, limits, requestMs - reply.elapsedTime);
    fileName = form.fileName || named;
    checkFileName(fileName, services, importerId);
    body = form.bytes;
  } else body = request.body as AsyncIterable<Uint8Array> | undefined;

  const source =
    body && (await withFirstChunk(limitedBytes(body, limits.uploadBytes, 'host.limits.uploadBytes')));
  if (!source)
    throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'the upload is empty', { file: fileName });
  return { fileName: fileName!, importerId, source };
}

/** The name says which importer reads the file: without one, or with one no importer reads, nothing is read. */
function checkFileName(
  fileName: string | undefined,
  services: Services,
  importerId: string | undefined,
): asserts fileName is string {
  if (!fileName)
    throw new CrmsyncError(
      'CRMSYNC_ERR_UPLOAD_INVALID',
      'say the file name in ?fileName=, or send the file as a form part with its file name, so the right importer reads it',
      { field: '?fileName' },
    );
  services.files.importerFor(fileName, importerId);
}

/**
 * The form's file part as it arrives: the fields before it are passed over, and once the file
 * has been read the rest of the form is, so that a second file is refused rather than lost.
 */
async function formFile(
  request: FastifyRequest,
  limits: HostLimits,
  /** What is left of host.timeouts.requestMs for the rest of the body to arrive. */
  remainingMs: number,
): Promise<{ fileName: string; bytes: AsyncIterable<Uint8Array> }> {
  // One byte over the limit reaches `limitedBytes`, which refuses it in the documented way.
  const parts = request
    .parts({ limits: { ...formLimits, fileSize: limits.uploadBytes + 1 } })
    [Symbol.asyncIterator]();
  const next = async () => {
    try {
      return await parts.next();
    } catch (error) {
      throw formError(error);
    }
  };
  let part: Multipart | undefined;
  for (let read = await next(); !read.done; read = await next()) {
    if (read.value.type === 'file') {
      part = read.value;
      break;
    }
  }
  if (part?.type !== 'file')
    throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'the form holds no file part', { field: 'body' });
  const file = part;
  async function* bytes(): AsyncIterable<Uint8Array> {
    yield* arrivingWithin(file.file, Math.max(0, remainingMs), 'host.timeouts.requestMs');
    for (let rest = await next(); !rest.done; rest = await next())
      if (rest.value.type === 'file')
        throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'send one file per upload, not several', {
          field: rest.value.fieldname,
        });
  }
  return { fileName: file.filename, bytes: bytes() };
}

/** A form that cannot be read (cut short, without its boundary, past the form's limits) as a clear error. */
function formError(error: unknown): CrmsyncError {
  if (error instanceof CrmsyncError) return error;
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return new CrmsyncError(
      'CRMSYNC_ERR_TOO_LARGE',
      `the form holds more than one file and ${formLimits.fields} short fields`,
      { field: 'body' },
    );
  return new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', `the form cannot be read: ${message}`, {
    field: 'body',
  });
}
