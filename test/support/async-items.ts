import { expect } from 'chai';
import { CrmsyncError } from '../../core/index.js';

/** Every item of a stream, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The crmsync error a call fails with; fails the test when the call succeeds or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<CrmsyncError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CrmsyncError);
    return error as CrmsyncError;
  }
  expect.fail('expected the call to fail, but it succeeded');
}
