import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { appTokenSource } from '../../../../plugins/outlook-graph/src/graph/credential.js';
import {
  connectGraph,
  type GraphConnection,
} from '../../../../plugins/outlook-graph/src/graph/graph-client.js';
import { httpsFetch } from '../../../../plugins/outlook-graph/src/graph/https-fetch.js';
import { repoRoot } from '../../../../test/support/paths.js';
import { type GraphServer, type GraphServerOptions, startGraphServer } from '../../index.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read many differently shaped JSON answers
export type Json = any;

export const anna = 'anna@contoso.example';
export const ben = 'ben@contoso.example';

export interface GraphSession {
  server: GraphServer;
  /** Microsoft's Graph client with app-only tokens from the emulator, over verified HTTPS. */
  graph: GraphConnection;
  /** Plain HTTPS to the emulator, for what the client cannot send (no token, a form body). */
  raw: ReturnType<typeof httpsFetch>;
  /** One request through Microsoft's client, answered with status, JSON body and headers. */
  send(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<GraphAnswer>;
  close(): Promise<void>;
}

export interface GraphAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

/** An emulator and a client trusting exactly its certificate; the client retries nothing unless asked. */
export async function graphSession(
  options: GraphServerOptions & { clientRetries?: number } = {},
): Promise<GraphSession> {
  const server = await startGraphServer(options);
  const graph = connectGraph({
    baseUrl: server.url,
    getAccessToken: appTokenSource({ ...server.app, authorityHost: server.authorityHost, ca: server.ca }),
    ca: server.ca,
    maxRetries: options.clientRetries ?? 0,
    retryDelaySeconds: 0,
  });
  const agent = new Agent({ ca: server.ca });
  return {
    server,
    graph,
    raw: httpsFetch(agent, 10_000),
    send: (method, url, body, headers) =>
      graph.send({
        method,
        url,
        ...(body === undefined ? {} : { body }),
        ...(headers ? { headers } : {}),
      }) as Promise<GraphAnswer>,
    close: async () => {
      graph.close();
      agent.destroy();
      await server.close();
    },
  };
}

/** A payload from the Graph documentation (see fixtures/SOURCES.md). */
export function docPayload(name: string): Json {
  return JSON.parse(readFileSync(join(repoRoot, 'emulators', 'graph', 'test', 'fixtures', name), 'utf8'));
}

export const contacts = (user = anna) => `/users/${encodeURIComponent(user)}/contacts`;
