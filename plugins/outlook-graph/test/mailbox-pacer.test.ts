import { expect } from 'chai';
import { MailboxPacer, retryAfterMs } from '../src/mailbox-pacer.js';

/** A clock that only moves when the pacer sleeps, so waits can be read off exactly. */
function fakeClock() {
  const clock = { now: 0, slept: [] as number[] };
  const sleep = async (ms: number) => {
    clock.slept.push(ms);
    clock.now += ms;
  };
  return { clock, sleep, now: () => clock.now };
}

describe('Pacing requests to one mailbox', () => {
  it('waits for the oldest requests to leave the window instead of going over the budget', async () => {
    const { clock, sleep, now } = fakeClock();
    const pacer = new MailboxPacer(sleep, now, { requestsPerWindow: 30, windowMs: 60_000 });
    await pacer.reserve(20);
    clock.now = 10_000;
    await pacer.reserve(10);
    expect(clock.slept).to.deep.equal([]);
    await pacer.reserve(20);
    expect(clock.now).to.equal(60_000);
  });

  it('never lets more than four requests run at once, a batch taking all four places', async () => {
    const pacer = new MailboxPacer();
    let running = 0;
    let most = 0;
    const task = (slots: number) =>
      pacer.run(async () => {
        running += slots;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= slots;
      }, slots);
    await Promise.all([task(1), task(1), task(4), task(1), task(1), task(1), task(4)]);
    expect(most).to.equal(4);
  });

  it('sizes batches to the remaining budget Graph announces, and waits for its reset when none is left', async () => {
    const { clock, sleep, now } = fakeClock();
    const pacer = new MailboxPacer(sleep, now);
    expect(await pacer.nextBatchSize()).to.equal(20);
    pacer.observe(
      [{ 'RateLimit-Remaining': '7', 'RateLimit-Reset': '3' }, { 'RateLimit-Remaining': '5' }],
      false,
    );
    expect(await pacer.nextBatchSize()).to.equal(5);
    pacer.observe([{ 'ratelimit-remaining': '0', 'ratelimit-reset': '3' }], false);
    expect(await pacer.nextBatchSize()).to.equal(1);
    expect(clock.slept).to.deep.equal([3000]);
  });

  it('halves the batch after a 429 and grows it again while requests pass', async () => {
    const pacer = new MailboxPacer();
    pacer.observe([], true);
    pacer.observe([], true);
    expect(await pacer.nextBatchSize()).to.equal(5);
    pacer.observe([], false);
    expect(await pacer.nextBatchSize()).to.equal(7);
  });

  it('reads Retry-After as fractional seconds or as an HTTP date', () => {
    expect(retryAfterMs('2.128')).to.equal(2128);
    expect(
      retryAfterMs('Sun, 29 Nov 2026 12:00:10 GMT', Date.parse('Sun, 29 Nov 2026 12:00:00 GMT')),
    ).to.equal(10_000);
    expect(retryAfterMs(null)).to.equal(undefined);
    expect(retryAfterMs('soon')).to.equal(undefined);
  });
});
