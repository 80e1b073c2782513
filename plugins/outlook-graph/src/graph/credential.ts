import { Agent } from 'node:https';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type ClientSecretCredentialOptions,
  type TokenCredential,
} from '@azure/identity';

type PipelinePolicy = NonNullable<ClientSecretCredentialOptions['additionalPolicies']>[number]['policy'];

export interface AppCredentials {
  tenantId: string;
  clientId: string;
  /** The client secret; crmsync takes it only from an environment variable. */
  clientSecret?: string;
  /** A PEM file holding the app's certificate and private key, instead of a secret. */
  certificatePath?: string;
  /** e.g. https://login.microsoftonline.com, or the emulator's origin. */
  authorityHost: string;
  /** Extra certificate authority (PEM) the authority's certificate is checked against. */
  ca?: string;
}

const graphScope = 'https://graph.microsoft.com/.default';

/**
 * App-only tokens for Graph (client-credentials flow) from the configured authority; the
 * identity library caches a token until shortly before it expires.
 */
export function appTokenSource(credentials: AppCredentials): () => Promise<string> {
  const agent = credentials.ca ? new Agent({ keepAlive: true, ca: credentials.ca }) : undefined;
  const trustCa: PipelinePolicy = {
    name: 'crmsync-trust-ca',
    sendRequest: (request, next) => {
      if (agent) request.agent = agent;
      return next(request);
    },
  };
  const options = {
    authorityHost: credentials.authorityHost,
    // The authority may be a private one (the emulator); nothing is looked up about it elsewhere.
    disableInstanceDiscovery: true,
    additionalPolicies: [{ policy: trustCa, position: 'perCall' as const }],
  };
  const credential: TokenCredential = credentials.certificatePath
    ? new ClientCertificateCredential(
        credentials.tenantId,
        credentials.clientId,
        credentials.certificatePath,
        options,
      )
    : new ClientSecretCredential(
        credentials.tenantId,
        credentials.clientId,
        credentials.clientSecret ?? '',
        options,
      );
  return async () => {
    const token = await credential.getToken(graphScope);
    if (!token) throw new Error('the identity platform issued no token');
    return token.token;
  };
}
