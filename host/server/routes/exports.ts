import type { FastifyInstance } from 'fastify';
import {
  CrmsyncError,
  discardingSink,
  type ExportReport,
  type HostLimits,
  type Services,
} from '../../../core/index.js';
import { spoolExportBody } from '../files/export-body.js';
import type { HeavyRequestGate } from '../files/heavy-request-gate.js';
import { pauseIdleLimit } from '../files/idle-pause.js';
import { singleQueryValue } from '../files/query.js';
import { checkAnnouncedLength } from '../files/request-bytes.js';
import { errorAnswers } from './api-schemas.js';
import { ResponseSink } from './response-sink.js';
import { exportAnswer, exportBody, exportQuerySchema } from './streamed-schemas.js';

export interface ExportRouteOptions {
  services: Services;
  limits: HostLimits;
  gate: HeavyRequestGate;
  spoolDir: string;
  /** host.timeouts.idleMs, paused while the export itself works. */
  idleMs: number;
}

/**
 * `POST /exports/:option`, body `{ "contacts": [ … ] }`. The body is checked completely before
 * the export starts (400 with the JSON pointer of a bad value, 413 past a limit), then the
 * export streams to the response: the file as the body, the number of contacts written and of
 * problems in the trailers `x-crmsync-written` and `x-crmsync-problems`. `?report=json` — and
 * every option that writes to a place of its own — answers `{ written, problemCount, problems, file? }`.
 */
export async function exportRoutes(app: FastifyInstance, options: ExportRouteOptions): Promise<void> {
  const { services, limits, gate, spoolDir, idleMs } = options;
  app.post<{ Params: { option: string } }>(
    '/exports/:option',
    {
      schema: {
        summary: 'Export the contacts sent as a file',
        querystring: exportQuerySchema,
        body: exportBody,
        consumes: ['application/json'],
        response: { 200: exportAnswer, ...errorAnswers },
      },
    },
    async (request, reply) => {
      const report = singleQueryValue(request.query, 'report');
      if (report !== undefined && report !== 'json') {
        throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', 'report can only be "json"', {
          field: '?report',
        });
      }
      const type = request.headers['content-type'] ?? '';
      if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
        throw new CrmsyncError(
          'CRMSYNC_ERR_UNSUPPORTED_MEDIA_TYPE',
          `an export reads application/json, not "${type || 'a body without a content type'}"`,
          { field: 'content-type' },
        );
      }
      const option = await services.files.exportOption(request.params.option);
      checkAnnouncedLength(
        request.headers['content-length'],
        limits.exportBodyBytes,
        'host.limits.exportBodyBytes',
      );
      const release = gate.enter();
      reply.raw.once('close', release);

      const body = (request.body as AsyncIterable<Uint8Array> | undefined) ?? (async function* () {})();
      const spooled = await spoolExportBody(body, limits, spoolDir);
      const answerBegins = pauseIdleLimit(request.raw.socket, idleMs);
      try {
        if (!option.producesFile || report === 'json') {
          const result = await option.export(spooled.contacts(), discardingSink);
          answerBegins();
          return reportOf(result, limits);
        }
        const sink = new ResponseSink(reply, answerBegins);
        const result = await sink.answer(
          () => option.export(spooled.contacts(), sink),
          (report) => ({ written: report.written, problems: report.problems.length }),
        );
        return result ? reportOf(result, limits) : reply;
      } finally {
        answerBegins();
        spooled.discard();
      }
    },
  );
}

function reportOf(result: ExportReport, limits: HostLimits) {
  return {
    written: result.written,
    problemCount: result.problems.length,
    problems: result.problems.slice(0, limits.previewProblems),
    ...(result.file ? { file: result.file } : {}),
  };
}
