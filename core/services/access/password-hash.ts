import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords are kept as scrypt hashes (node:crypto) in the PHC string format,
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`: the parameters travel with each hash, so they can be
 * raised later while every hash made before still verifies.
 */
const current = { ln: 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const hashBytes = 32;
/** Beyond these a stored hash is refused rather than computed: it could take minutes or gigabytes. */
const limits = { ln: 20, r: 16, p: 4 } as const;

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

function derive(
  password: string,
  salt: Buffer,
  params: { ln: number; r: number; p: number },
  length: number,
) {
  const options: ScryptOptions = {
    N: 2 ** params.ln,
    r: params.r,
    p: params.p,
    // scrypt needs 128 · N · r bytes; node's default ceiling (32 MiB) is just short of ln=15, r=8.
    maxmem: 256 * 2 ** params.ln * params.r + 1024 * 1024,
  };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(password, salt, current, hashBytes);
  return `$scrypt$ln=${current.ln},r=${current.r},p=${current.p}$${b64(salt)}$${b64(hash)}`;
}

const format = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Whether `password` is the one `stored` was made from, compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = format.exec(stored);
  if (!match) return false;
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (ln < 1 || ln > limits.ln || r < 1 || r > limits.r || p < 1 || p > limits.p) return false;
  const salt = Buffer.from(match[4]!, 'base64');
  const expected = Buffer.from(match[5]!, 'base64');
  if (expected.length < 16) return false;
  const given = await derive(password, salt, { ln, r, p }, expected.length);
  return timingSafeEqual(given, expected);
}
