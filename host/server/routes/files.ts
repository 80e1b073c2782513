import { extname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  type Contact,
  type ContactFileImporter,
  type ContactJson,
  CrmsyncError,
  contactFromJson,
  contactToJson,
  type ExportOption,
  type RecordProblem,
} from '../../../core/index.js';

// A vCard file of a few thousand contacts with photos is tens of megabytes.
const uploadLimitBytes = 200 * 1024 * 1024;

/**
 * Offline exchange over HTTP: read an uploaded contact file (a preview: nothing is written),
 * and run an export option over contacts, answering with the file to download.
 */
export async function fileRoutes(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: uploadLimitBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.get('/contributions', async () =>
    app.kernel.registry.list().map(({ point, pluginId, descriptor }) => ({ point, pluginId, ...descriptor })),
  );

  app.post<{ Querystring: { fileName?: string; importer?: string } }>(
    '/imports/preview',
    { bodyLimit: uploadLimitBytes },
    async (request) => {
      const fileName = request.query.fileName ?? request.headers['x-file-name']?.toString();
      if (!fileName) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_UPLOAD_INVALID',
          'say the file name in ?fileName= so the right importer reads it',
        );
      }
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw new CrmsyncError('CRMSYNC_ERR_UPLOAD_INVALID', 'the upload is empty', { file: fileName });
      }
      const importerId = request.query.importer ?? importerFor(app, fileName);
      const importer = await app.kernel.get('fileImporters', importerId);
      const contacts: ContactJson[] = [];
      const problems: RecordProblem[] = [];
      for await (const item of importer.importFile(new Uint8Array(request.body), fileName)) {
        if (item.ok) contacts.push(contactToJson(item.value));
        else problems.push(item.problem);
      }
      return { fileName, importer: importerId, contacts, problems };
    },
  );

  app.post<{ Params: { option: string }; Body: { contacts?: ContactJson[] } }>(
    '/exports/:option',
    { bodyLimit: uploadLimitBytes },
    async (request, reply) => {
      const body = request.body as { contacts?: unknown } | undefined;
      if (!body || !Array.isArray(body.contacts)) {
        throw new CrmsyncError('CRMSYNC_ERR_EXPORT_INVALID', 'the body must be { "contacts": [ … ] }', {
          pointer: '/contacts',
        });
      }
      const contacts: Contact[] = body.contacts.map((json, index) =>
        contactFromJson(json as ContactJson, `/contacts/${index}`),
      );
      const option = await app.kernel.get('exportOptions', request.params.option);
      const report = await option.export(contacts);
      if (!report.artifact) return { written: report.written, problems: report.problems };
      return reply
        .header('content-type', report.artifact.mediaType)
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(report.artifact.fileName)}`,
        )
        .header('x-crmsync-written', String(report.written))
        .header('x-crmsync-problems', encodeURIComponent(JSON.stringify(report.problems)))
        .send(Buffer.from(report.artifact.bytes));
    },
  );
}

function importerFor(app: FastifyInstance, fileName: string): string {
  const ending = extname(fileName).toLowerCase();
  const match = app.kernel.registry
    .list('fileImporters')
    .find(({ descriptor }) => (descriptor.fileExtensions as string[] | undefined)?.includes(ending));
  if (!match) {
    throw new CrmsyncError(
      'CRMSYNC_ERR_UPLOAD_INVALID',
      `no importer reads "${ending || 'files without an ending'}"`,
      {
        file: fileName,
      },
    );
  }
  return match.descriptor.id;
}
