import type { FastifyReply, FastifyRequest } from 'fastify';
import { CrmsyncError, type HostLimits, type Services } from '../../../core/index.js';
import type { HeavyRequestGate } from '../files/heavy-request-gate.js';
import { singleQueryValue } from '../files/query.js';
import { checkAnnouncedLength, limitedBytes, withFirstChunk } from '../files/request-bytes.js';

export interface UploadedFile {
  fileName: string;
  importerId: string | undefined;
  /** The upload's bytes as they arrive, never buffered; past `host.limits.uploadBytes` they fail with 413. */
  source: AsyncIterable<Uint8Array>;
}

/**
 * An uploaded contact file as the import routes read it: named by `?fileName=` (or
 * `x-file-name`) so the right importer reads it, checked against the upload limit before and
 * while it arrives, and counted as a heavy request until its answer ends.
 */
export async function uploadedFile(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  limits: HostLimits,
  gate: HeavyRequestGate,
): Promise<UploadedFile> {
  const fileName = singleQueryValue(request.query, 'fileName') ?? request.headers['x-file-name']?.toString();
  const importerId = singleQueryValue(request.query, 'importer');
  if (!fileName) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_UPLOAD_INVALID',
      'say the file name in ?fileName= so the right importer reads it',
      {
        field: '?fileName',
      },
    );
  }
  services.files.importerFor(fileName, importerId);
  checkAnnouncedLength(request.headers['content-length'], limits.uploadBytes, 'host.limits.uploadBytes');
  const release = gate.enter();
  reply.raw.once('close', release);

  const body = request.body as AsyncIterable<Uint8Array> | undefined;
  const source =
    body && (await withFirstChunk(limitedBytes(body, limits.uploadBytes, 'host.limits.uploadBytes')));
  if (!source)
    throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'the upload is empty', { file: fileName });
  return { fileName, importerId, source };
}
