import { CrmsyncError, type ProblemLocation } from '../../../core/index.js';
import type { GraphAnswer, GraphConnection, GraphRequest } from './graph/graph-client.js';
import { errorFromAnswer } from './graph-problems.js';
import { headerValue } from './header-value.js';
import { type MailboxPacer, maxInFlightPerMailbox, retryAfterMs, type Sleep } from './mailbox-pacer.js';

/**
 * Times a single request refused with 429 is sent, each time with the client's own retries
 * behind it, before the refusal is the answer.
 */
const throttledRounds = 6;

/** A page of a contact collection as Graph answers it. */
type ContactPage = { value?: Record<string, unknown>[]; '@odata.nextLink'?: string };

/**
 * One mailbox's way to Graph: every request paced within the mailbox's limits, and a request
 * that got no answer at all (refused, reset, timed out) reported as the connector's own error
 * naming the mailbox, never as the transport's.
 */
export class MailboxChannel {
  constructor(
    readonly connection: GraphConnection,
    readonly pacer: MailboxPacer,
    readonly sleep: Sleep,
    readonly where: ProblemLocation,
  ) {}

  /**
   * Sends one request once the mailbox's budget allows. A batch of `batchOf` requests takes
   * all four places, since Graph hands Outlook four of its requests at once, and counts each.
   * A single request Graph keeps refusing with 429 is sent again after each Retry-After: a
   * refused request never ran, so repeating it is always safe, and one read given up in a
   * storm would fail a whole run. Batches are their writer's and reader's to retry, since
   * only they see inside.
   */
  async send(request: GraphRequest, batchOf?: number): Promise<GraphAnswer> {
    for (let round = 1; ; round++) {
      const answer = await this.sendOnce(request, batchOf);
      if (answer.status !== 429 || batchOf !== undefined || round >= throttledRounds) return answer;
      await this.sleep(retryAfterMs(headerValue(answer.headers, 'Retry-After')) ?? 1000);
    }
  }

  private sendOnce(request: GraphRequest, batchOf?: number): Promise<GraphAnswer> {
    const slots = batchOf === undefined ? 1 : maxInFlightPerMailbox;
    return this.pacer.run(
      async () => {
        try {
          return await this.connection.send(request);
        } catch (error) {
          throw new CrmsyncError(
            'CRMSYNC_ERR_OUTLOOK_UNREACHABLE',
            `Microsoft Graph did not answer: ${(error as Error).message}`,
            this.where,
            { cause: error },
          );
        }
      },
      slots,
      batchOf ?? 1,
    );
  }

  get(url: string, headers?: Record<string, string>): Promise<GraphAnswer> {
    return this.send({ method: 'GET', url, ...(headers ? { headers } : {}) });
  }

  /** Every page of a collection, following Graph's next links; an error answer fails it, saying while `doing` what. */
  async *pages(url: string, doing: string): AsyncIterable<Record<string, unknown>[]> {
    let link: string | undefined = url;
    while (link) {
      const answer = await this.get(link);
      if (answer.status !== 200) throw errorFromAnswer(answer.status, answer.body, doing, this.where);
      const page = answer.body as ContactPage;
      yield page.value ?? [];
      link = page['@odata.nextLink'];
    }
  }
}
