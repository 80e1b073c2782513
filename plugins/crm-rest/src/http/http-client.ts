import {
  ConcurrencyError,
  CrmsyncError,
  type OutboundRequests,
  type ProblemLocation,
  textWithoutCredentials,
  withoutCredentials,
} from '../../../../core/index.js';
import { getAt } from '../mapping/json-pointer.js';
import type { Auth, Profile } from '../profile/profile.js';
import { backoffMs, retryAfterMs } from './retry-after.js';

export interface HttpClientOptions {
  profile: Profile;
  /** Waits between retries; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Told of every request sent, each retry its own, when its answer's head arrives (or none does). */
  outbound?: OutboundRequests | undefined;
}

export interface RequestSpec {
  method: string;
  /** Relative to the base URL, or absolute (a Link header's next page). */
  path: string;
  query?: [string, string][];
  json?: unknown;
  bytes?: { data: Uint8Array; mediaType: string };
  headers?: Record<string, string>;
  /** Names the endpoint in errors, e.g. `GET /contacts/{id}`. */
  endpoint: string;
  recordId?: string;
  /** Statuses the caller handles itself (typically 404). */
  accept?: number[];
  /** A request the server may have acted on before failing is retried only when repeating it is harmless. */
  idempotent?: boolean;
}

const retriedStatus = new Set([429, 500, 502, 503, 504]);
// 429 and 503 say "not processed", so even a create may be repeated safely.
const notProcessedStatus = new Set([429, 503]);

function authHeaders(auth: Auth): Record<string, string> {
  switch (auth.type) {
    case 'apiKey':
      return { [auth.header]: auth.key };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    default:
      return {};
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * HTTP for the connector: authentication, retries with back-off that honour Retry-After, and
 * every failure turned into a CrmsyncError that names the endpoint and the record.
 */
export class HttpClient {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;
  private readonly staleStatus: Set<number>;

  constructor(private readonly options: HttpClientOptions) {
    const { profile } = options;
    this.base = new URL(profile.baseUrl.endsWith('/') ? profile.baseUrl : `${profile.baseUrl}/`);
    // Credentials written into the URL are neither sent nor shown: they belong under `auth`.
    this.base.username = '';
    this.base.password = '';
    this.headers = { accept: 'application/json', ...authHeaders(profile.auth) };
    this.sleep = options.sleep ?? defaultSleep;
    this.fetchImpl = options.fetch ?? fetch;
    this.staleStatus = new Set(profile.concurrency?.staleStatus ?? [412]);
  }

  /** The base URL as messages show it: without user-info, even if the profile slipped one in. */
  get baseUrl(): string {
    return withoutCredentials(this.base.href);
  }

  /** Scheme, host and port of the CRM: the only place the credentials go. */
  get origin(): string {
    return this.base.origin;
  }

  url(path: string, query: [string, string][] = []): URL {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), this.base);
    for (const [key, value] of query) url.searchParams.append(key, value);
    return url;
  }

  async json(spec: RequestSpec): Promise<{ status: number; body: unknown; headers: Headers }> {
    const response = await this.send(spec);
    if (response.status === 204 || (spec.accept?.includes(response.status) && response.status >= 400)) {
      await response.body?.cancel();
      return { status: response.status, body: undefined, headers: response.headers };
    }
    const text = await response.text();
    if (text === '') return { status: response.status, body: undefined, headers: response.headers };
    try {
      return { status: response.status, body: JSON.parse(text), headers: response.headers };
    } catch {
      throw new CrmsyncError(
        'CRMSYNC_ERR_CRM_RESPONSE',
        `the CRM answered with something that is not JSON: ${text.slice(0, 80)}`,
        this.where(spec),
      );
    }
  }

  /**
   * Sends with retries; returns any 2xx response or one the caller accepts, throws for the rest
   * (redirects too). No message it throws carries credentials a URL may hold.
   */
  async send(spec: RequestSpec): Promise<Response> {
    try {
      return await this.attempt(spec);
    } catch (error) {
      if (!(error instanceof CrmsyncError)) throw error;
      const message = textWithoutCredentials(error.reason);
      if (message === error.reason) throw error;
      throw error instanceof ConcurrencyError
        ? new ConcurrencyError(message, error.location)
        : new CrmsyncError(error.code, message, error.location);
    }
  }

  private async attempt(spec: RequestSpec): Promise<Response> {
    const retry = this.options.profile.retry ?? {};
    const maxAttempts = retry.maxAttempts ?? 5;
    const idempotent = spec.idempotent ?? ['GET', 'HEAD', 'PUT', 'DELETE'].includes(spec.method);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      const started = performance.now();
      let status: number | undefined;
      try {
        response = await this.fetchImpl(this.url(spec.path, spec.query), {
          method: spec.method,
          headers: {
            ...this.headers,
            ...(spec.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(spec.bytes ? { 'content-type': spec.bytes.mediaType } : {}),
            ...spec.headers,
          },
          body:
            spec.json !== undefined ? JSON.stringify(spec.json) : spec.bytes ? spec.bytes.data : undefined,
          signal: AbortSignal.timeout(this.options.profile.timeoutMs ?? 30_000),
          // A redirect would carry the credentials to wherever it points; it is reported instead.
          redirect: 'manual',
        });
        status = response.status;
      } catch (error) {
        if (idempotent && attempt + 1 < maxAttempts) {
          await this.sleep(backoffMs(attempt, retry.baseDelayMs ?? 250, retry.maxDelayMs ?? 10_000));
          continue;
        }
        throw new CrmsyncError(
          'CRMSYNC_ERR_CRM_UNREACHABLE',
          `the CRM at ${this.base.origin} cannot be reached: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
          this.where(spec),
        );
      } finally {
        this.options.outbound?.ended({
          service: 'crm',
          method: spec.method,
          ...(status !== undefined ? { status } : {}),
          seconds: (performance.now() - started) / 1000,
        });
      }
      if (response.ok || spec.accept?.includes(response.status)) return response;
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const location = response.headers.get('location') ?? '(no Location header)';
        throw new CrmsyncError(
          'CRMSYNC_ERR_CRM_REDIRECT',
          `the CRM redirects (HTTP ${response.status}) to ${location}; crmsync sends credentials only to the configured baseUrl, so set baseUrl to the address the CRM really answers at`,
          this.where(spec),
        );
      }
      const mayRetry =
        retriedStatus.has(response.status) && (idempotent || notProcessedStatus.has(response.status));
      if (mayRetry && attempt + 1 < maxAttempts) {
        const asked = retryAfterMs(response.headers.get('retry-after'));
        const limit = retry.maxRetryAfterMs ?? 60_000;
        if (asked !== undefined && asked > limit) {
          await response.body?.cancel();
          throw new CrmsyncError(
            'CRMSYNC_ERR_CRM_THROTTLED',
            `the CRM asks to wait ${Math.ceil(asked / 1000)} s (HTTP ${response.status}), longer than the ${Math.ceil(limit / 1000)} s the profile allows`,
            this.where(spec),
          );
        }
        await response.body?.cancel();
        await this.sleep(asked ?? backoffMs(attempt, retry.baseDelayMs ?? 250, retry.maxDelayMs ?? 10_000));
        continue;
      }
      throw await this.failure(response, spec, attempt + 1);
    }
  }

  private where(spec: RequestSpec, extra: ProblemLocation = {}): ProblemLocation {
    return { endpoint: spec.endpoint, ...(spec.recordId ? { recordId: spec.recordId } : {}), ...extra };
  }

  private async failure(response: Response, spec: RequestSpec, attempts: number): Promise<CrmsyncError> {
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const errors = this.options.profile.errors ?? {};
    const said = getAt(body, errors.message ?? '/message');
    const field = getAt(body, errors.field ?? '/field');
    const detail = typeof said === 'string' ? `: ${said}` : text && !body ? `: ${text.slice(0, 120)}` : '';
    const status = response.status;
    if (this.staleStatus.has(status)) {
      return new ConcurrencyError(
        `the CRM record was changed by someone else (HTTP ${status})${detail}`,
        this.where(spec),
      );
    }
    if (status === 401 || status === 403) {
      return new CrmsyncError(
        'CRMSYNC_ERR_CRM_AUTH',
        status === 401
          ? `the CRM wants credentials (HTTP 401)${detail}`
          : `the CRM refused the credentials (HTTP 403)${detail}`,
        this.where(spec),
      );
    }
    if (status === 400 || status === 422) {
      return new CrmsyncError(
        'CRMSYNC_ERR_CRM_REJECTED',
        `the CRM rejected the request (HTTP ${status})${detail}`,
        this.where(spec, typeof field === 'string' ? { field } : {}),
      );
    }
    if (status === 404)
      return new CrmsyncError(
        'CRMSYNC_ERR_CRM_NOT_FOUND',
        `the CRM has no such record (HTTP 404)${detail}`,
        this.where(spec),
      );
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    // Throttled and temporarily unavailable are worth trying again later; other answers are not.
    const code =
      status === 429
        ? 'CRMSYNC_ERR_CRM_THROTTLED'
        : status === 503
          ? 'CRMSYNC_ERR_CRM_UNREACHABLE'
          : 'CRMSYNC_ERR_CRM_HTTP';
    return new CrmsyncError(code, `the CRM answered HTTP ${status}${tries}${detail}`, this.where(spec));
  }
}
