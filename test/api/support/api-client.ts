import { expect } from 'chai';
import { type Answer, send } from '../../host/support/send.js';

/** The password the access tests give each user: long enough for the host's rules, never shown. */
export const passwordOf = (who: string) => `${who}-correct-horse-battery`;

/** A client signed in as `login` (with `passwordOf(login)`) at the host at `baseUrl`. */
export async function signedInClient(baseUrl: string, login: string): Promise<ApiClient> {
  const client = new ApiClient(baseUrl);
  const answer = await client.signIn(login, passwordOf(login));
  expect(answer.status, answer.text).to.equal(200);
  return client;
}

/**
 * A client of the API as a browser or a script holds it: the session cookie and CSRF token
 * after signing in, or a bearer token, sent with each request.
 */
export class ApiClient {
  private cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly bearer?: string,
  ) {}

  /** Signs in over `POST /api/v1/session` and keeps the cookie and CSRF token it answers. */
  async signIn(login: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/session', { login, password });
    if (answer.status === 200) {
      this.cookie = sessionCookieOf(answer);
      this.csrfToken = answer.json().csrfToken;
    }
    return answer;
  }

  /** A JSON request with this client's credentials; `csrf: false` leaves the header out, a string sends that instead. */
  call(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: false | string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (this.cookie) headers.cookie = this.cookie;
    const csrf = options.csrf ?? this.csrfToken;
    if (method !== 'GET' && typeof csrf === 'string') headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return send(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  get(path: string): Promise<Answer> {
    return this.call('GET', path);
  }
}

/** `crmsync_session=<id>` from an answer's Set-Cookie, as a browser would send it back. */
export function sessionCookieOf(answer: Answer): string {
  const setCookie = [answer.headers['set-cookie'] ?? []].flat();
  const line = setCookie.find((value) => value.startsWith('crmsync_session='));
  if (!line) throw new Error(`no session cookie in ${JSON.stringify(answer.headers)}`);
  return line.split(';')[0]!;
}
