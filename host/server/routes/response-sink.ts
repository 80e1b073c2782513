import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { CrmsyncError, type ExportFile, type ExportSink } from '../../../core/index.js';
import { timedTurns } from '../files/json-answer.js';

/** Announced before the file, sent after it: a header cannot overflow with a long problem list. */
const trailers = 'x-crmsync-written, x-crmsync-problems';

/** What the trailers after an exported file say. */
export interface ExportCounts {
  written: number;
  problems: number;
}

/** The response as an export's sink: headers on `start`, then the bytes, honouring back-pressure. */
export class ResponseSink implements ExportSink {
  started = false;
  private readonly raw: ServerResponse;
  private readonly turn = timedTurns();

  constructor(
    private readonly reply: FastifyReply,
    private readonly answerBegins: () => void,
  ) {
    this.raw = reply.raw;
  }

  start(file: ExportFile): void {
    this.started = true;
    this.answerBegins();
    this.reply.hijack();
    this.raw.statusCode = 200;
    this.raw.setHeader('content-type', file.mediaType);
    this.raw.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    );
    this.raw.setHeader('trailer', trailers);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.raw.destroyed) throw new CrmsyncError('CRMSYNC_ERR_REQUEST_INVALID', 'the client went away');
    if (!this.raw.write(chunk)) {
      // The wait that loses is called off, so a long export to a slow reader piles up no listeners.
      const done = new AbortController();
      await Promise.race(
        ['drain', 'close'].map((event) =>
          once(this.raw, event, { signal: done.signal }).catch(() => undefined),
        ),
      );
      done.abort();
    } else {
      // A client that reads as fast as the export writes never makes it wait: without a turn
      // now and then, a large export would hold the event loop, and /health with it.
      await this.turn();
    }
  }

  /**
   * Runs an export into this sink. Once its file has begun, the file is the answer, ended by
   * the counts in the trailers — or broken off when the export fails after its first byte,
   * the only honest end then. Answers the export's result when no file went out, for the
   * caller to answer as JSON; undefined when the file was the answer.
   */
  async answer<T>(work: () => Promise<T>, counts: (result: T) => ExportCounts): Promise<T | undefined> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (!this.started) throw error;
      this.reply.log.error({ err: error }, 'export failed after its file began');
      this.raw.destroy(error as Error);
      return undefined;
    }
    if (!this.started) return result;
    const { written, problems } = counts(result);
    this.raw.addTrailers({ 'x-crmsync-written': String(written), 'x-crmsync-problems': String(problems) });
    this.raw.end();
    return undefined;
  }
}
