import { api, send, useCsrfToken } from './http';

export interface SessionUser {
  id: string;
  login: string;
  role: 'user' | 'admin';
  account: string | null;
}

/**
 * How the host knows who this is: `session` after signing in here; `open` on a host without
 * users reached on loopback, where everyone is its local administrator and nobody signs in.
 */
export type SessionMode = 'session' | 'open' | 'token' | 'api-key';

export type Session = { state: 'signed-in'; user: SessionUser; mode: SessionMode } | { state: 'signed-out' };

interface SessionAnswer {
  user: SessionUser;
  csrfToken?: string;
  mode: SessionMode;
}

function signedIn(answer: SessionAnswer): Session {
  useCsrfToken(answer.csrfToken);
  return { state: 'signed-in', user: answer.user, mode: answer.mode };
}

export async function currentSession(): Promise<Session> {
  const response = await send('GET', '/session', { expected: [401] });
  if (response.status === 401) {
    useCsrfToken(undefined);
    return { state: 'signed-out' };
  }
  return signedIn((await response.json()) as SessionAnswer);
}

export async function signIn(login: string, password: string): Promise<Session> {
  return signedIn(await api<SessionAnswer>('POST', '/session', { body: { login, password } }));
}

export async function signOut(): Promise<void> {
  await send('DELETE', '/session', { expected: [401] });
  useCsrfToken(undefined);
}
