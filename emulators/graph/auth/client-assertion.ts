import { constants, createPublicKey, verify, X509Certificate } from 'node:crypto';

/**
 * Checks a client assertion (a JWT the app signs with its certificate's key) as Entra does:
 * signature by the registered certificate, issuer and subject the client id, audience the
 * token endpoint, not expired. Answers what is wrong, or nothing.
 */
export function assertionProblem(
  assertion: string,
  certificatePem: string | undefined,
  clientId: string,
  tokenEndpoint: string,
): string | undefined {
  if (!certificatePem) return 'AADSTS700027: No certificate is registered for the application.';
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'AADSTS50027: JWT token is invalid or malformed.';
  const [head, body, signature] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number };
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return 'AADSTS50027: JWT token is invalid or malformed.';
  }
  const key = createPublicKey(
    new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'pem' }),
  );
  const signed = Buffer.from(`${head}.${body}`);
  const bytes = Buffer.from(signature, 'base64url');
  const valid =
    header.alg === 'RS256'
      ? verify('sha256', signed, key, bytes)
      : header.alg === 'PS256'
        ? verify('sha256', signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, bytes)
        : false;
  if (!valid) return 'AADSTS700027: Client assertion contains an invalid signature.';
  if (claims.iss !== clientId || claims.sub !== clientId)
    return 'AADSTS700023: Client assertion issuer and subject must be the client id.';
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(tokenEndpoint))
    return 'AADSTS700016: Client assertion audience is not the token endpoint.';
  if (!claims.exp || claims.exp * 1000 < Date.now())
    return 'AADSTS700024: Client assertion is not within its valid time range.';
  return undefined;
}
