import { type Agent, request as httpsRequest } from 'node:https';

export interface FetchInit {
  method?: string;
  headers?: ConstructorParameters<typeof Headers>[0];
  body?: unknown;
}

/** Statuses whose response must not carry a body (the Response constructor refuses one). */
const bodiless = new Set([101, 204, 205, 304]);

/**
 * `fetch` over node's https with a given agent, so a client can trust one extra certificate
 * authority (the emulator's) without switching off certificate checks for the process.
 */
export function httpsFetch(agent: Agent, timeoutMs: number) {
  return (url: string, init: FetchInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'https:') {
        reject(new Error(`only https is used for Microsoft Graph, not ${target.protocol}`));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const body = bodyBytes(init.body);
      if (body) headers['content-length'] = String(body.length);
      const outgoing = httpsRequest(target, { method: init.method ?? 'GET', headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const status = incoming.statusCode ?? 500;
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (Array.isArray(value)) for (const item of value) answerHeaders.append(name, item);
            else if (value !== undefined) answerHeaders.set(name, value);
          }
          const bytes = Buffer.concat(chunks);
          resolve(new Response(bodiless.has(status) ? null : bytes, { status, headers: answerHeaders }));
        });
      });
      outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
}

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new Error('a request body must be text or bytes');
}
