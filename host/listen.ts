import { CrmsyncError } from '../core/index.js';

/** A listen error a person can act on: which address, and which setting changes it. */
export async function listenOn<T>(
  what: string,
  address: string,
  setting: string,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    // Already said in crmsync's terms (a bad data file, say): not a matter of the address.
    if (error instanceof CrmsyncError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? 'the address is in use by another program' : (error as Error).message;
    throw new CrmsyncError(
      'CRMSYNC_ERR_LISTEN',
      `${what} cannot listen on ${address}: ${reason}; change ${setting}`,
      {},
      { cause: error },
    );
  }
}
