import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import {
  type Contact,
  contactToJson,
  type Fetched,
  type HostLimits,
  problemFromError,
  type RecordProblem,
  type Services,
} from '../../../core/index.js';
import { timedTurns } from '../files/json-answer.js';
import { readsForms } from '../request-guards.js';
import { errorAnswers } from './api-schemas.js';
import { importPreviewSchema, uploadedFileBody, uploadQuerySchema } from './streamed-schemas.js';
import { type UploadLimits, uploadedFile } from './upload-source.js';

export interface ImportRouteOptions extends UploadLimits {
  services: Services;
}

/**
 * `POST /imports/preview?fileName=…`: the upload is read as it arrives (never buffered) and the
 * answer streams as the cards are read. It lists at most `host.limits.previewContacts`
 * contacts and `host.limits.previewProblems` problems, with the total of each; nothing is written.
 * A failure after the answer began (the upload grew past its limit, the connection broke) ends
 * the answer with `"complete": false` and an `error`. Photos are listed by media type and hash,
 * without their bytes: a preview is for choosing, and a file of large photos would otherwise
 * be answered twice over, in base64.
 */
export async function importRoutes(app: FastifyInstance, options: ImportRouteOptions): Promise<void> {
  const { services, limits } = options;
  app.post(
    '/imports/preview',
    {
      ...readsForms,
      schema: {
        summary: 'Preview an uploaded contact file; nothing is written',
        querystring: uploadQuerySchema,
        body: uploadedFileBody,
        response: { 200: importPreviewSchema, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const { fileName, importerId, source } = await uploadedFile(request, reply, services, options);
      const preview = await services.files.previewImport(source, fileName, importerId);
      const items = preview.items[Symbol.asyncIterator]();
      // The first item decides the status: a file the importer refuses outright is a 4xx, not a 200.
      const first = await items.next();
      const head = JSON.stringify({ fileName, importer: preview.importer }).slice(0, -1);
      return reply
        .type('application/json; charset=utf-8')
        .send(Readable.from(previewAnswer(head, first, items, limits)));
    },
  );
}

async function* previewAnswer(
  head: string,
  first: IteratorResult<Fetched<Contact>>,
  items: AsyncIterator<Fetched<Contact>>,
  limits: HostLimits,
): AsyncIterable<string> {
  const problems: RecordProblem[] = [];
  let contactCount = 0;
  let problemCount = 0;
  let failure: RecordProblem | undefined;
  // A turn of the event loop whenever reading has held it for a while, however cheap or dear each card.
  const turn = timedTurns();
  yield `${head},"contacts":[`;
  try {
    for (let next = first; !next.done; next = await items.next()) {
      const item = next.value;
      if (item.ok) {
        if (contactCount < limits.previewContacts) {
          yield `${contactCount > 0 ? ',' : ''}${JSON.stringify(contactToJson(withoutPhotoBytes(item.value)))}`;
        }
        contactCount++;
      } else {
        if (problemCount < limits.previewProblems) problems.push(item.problem);
        problemCount++;
      }
      await turn();
    }
  } catch (error) {
    failure = problemFromError(error);
  }
  yield `],"problems":${JSON.stringify(problems)},"contactCount":${contactCount},"problemCount":${problemCount}`;
  yield failure ? `,"complete":false,"error":${JSON.stringify(failure)}}` : `,"complete":true}`;
}

function withoutPhotoBytes(contact: Contact): Contact {
  if (!contact.photo?.bytes) return contact;
  const { bytes: _bytes, ...photo } = contact.photo;
  return { ...contact, photo };
}
