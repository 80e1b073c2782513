/**
 * The client's one way to the API: JSON in and out, the session's CSRF token on every
 * request, and an error that keeps the API's `{ code, message, location }` so the page can
 * say what went wrong where it happened.
 */

export const apiBase = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly location: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onSignInNeeded: () => void = () => undefined;

/** The token the session answered with; sent as `x-csrf-token` from now on. */
export function useCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the API answers 401: the session ended, and the sign-in page takes over. */
export function whenSignInNeeded(handler: () => void): void {
  onSignInNeeded = handler;
}

export function apiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}), ...extra };
}

export interface RequestOptions {
  body?: unknown;
  /** A body sent as it is (an uploaded file), with its own content type. */
  raw?: { body: Blob; contentType: string };
  signal?: AbortSignal;
  /** Answers with these statuses are returned to the caller rather than thrown. */
  expected?: number[];
}

/** A request whose answer is returned unread, for downloads and for callers that look at the status. */
export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers = apiHeaders(
    options.raw
      ? { 'content-type': options.raw.contentType }
      : options.body !== undefined
        ? { 'content-type': 'application/json' }
        : {},
  );
  let response: Response;
  try {
    response = await fetch(`${apiBase}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.raw ? { body: options.raw.body } : {}),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'CLIENT_OFFLINE', (error as Error).message);
  }
  if (response.ok || options.expected?.includes(response.status)) return response;
  throw await errorOf(response);
}

/** A JSON request; the answer's body parsed. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<ApiError> {
  if (response.status === 401) onSignInNeeded();
  let body: { code?: unknown; message?: unknown; location?: unknown } = {};
  try {
    body = await response.json();
  } catch {
    // Not the API's error shape (a proxy's page, a cut connection): the status says enough.
  }
  return new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
    typeof body.message === 'string' ? body.message : response.statusText,
    typeof body.location === 'object' && body.location !== null
      ? (body.location as Record<string, unknown>)
      : {},
  );
}

/** `?a=1&b=x` from the values that are set. */
export function query(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
