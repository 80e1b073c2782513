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
    pacer.observe([
      { status: 200, headers: { 'RateLimit-Remaining': '7', 'RateLimit-Reset': '3' } },
      { status: 200, headers: { 'RateLimit-Remaining': '5' } },
    ]);
    expect(await pacer.nextBatchSize()).to.equal(5);
    pacer.observe([{ status: 200, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' } }]);
    expect(await pacer.nextBatchSize()).to.equal(1);
    expect(clock.slept).to.deep.equal([3000]);
  });

  it('halves the batch after a 429 and grows it again while requests pass', async () => {
    const pacer = new MailboxPacer();
    pacer.observe([{ status: 429 }]);
    pacer.observe([{ status: 429 }]);
    expect(await pacer.nextBatchSize()).to.equal(5);
    pacer.observe([{ status: 201 }]);
    expect(await pacer.nextBatchSize()).to.equal(7);
  });

  it('learns the window from the first refusal when no budget is known, and keeps the next window under it', async () => {
    const { clock, sleep, now } = fakeClock();
    const pacer = new MailboxPacer(sleep, now);
    // Graph takes 600 requests a minute: 30 batches of 20 pass, the 31st is refused whole.
    for (let batch = 0; batch <= 30; batch++) {
      await pacer.run(async () => undefined, 4, 20);
      if (batch < 30) clock.now += 100;
    }
    pacer.observe(Array.from({ length: 20 }, () => ({ status: 429, headers: { 'Retry-After': '57' } })));
    expect(pacer.currentBudget).to.deep.equal({ requestsPerWindow: 582, windowMs: 60_000 });
    await pacer.reserve(20);
    expect(clock.now, 'waits until the second batch has left the window').to.equal(60_100);
  });

  it('learns nothing from a passing storm of 429s that would make the window seconds long', async () => {
    const { clock, sleep, now } = fakeClock();
    const pacer = new MailboxPacer(sleep, now);
    await pacer.run(async () => undefined, 4, 20);
    clock.now += 200;
    pacer.observe([{ status: 429, headers: { 'Retry-After': '0.01' } }]);
    expect(pacer.currentBudget).to.deep.equal({ requestsPerWindow: 10_000, windowMs: 600_000 });
  });

  it('keeps a configured budget whatever Graph refuses', async () => {
    const { sleep, now } = fakeClock();
    const budget = { requestsPerWindow: 600, windowMs: 60_000 };
    const pacer = new MailboxPacer(sleep, now, budget);
    await pacer.run(async () => undefined, 4, 20);
    pacer.observe([{ status: 429, headers: { 'Retry-After': '30' } }]);
    expect(pacer.currentBudget).to.deep.equal(budget);
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
