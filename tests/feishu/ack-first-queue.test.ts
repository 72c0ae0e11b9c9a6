import { describe, expect, it } from 'vitest';
import { createAckFirstQueue } from '../../src/feishu/ack-first-queue.js';

/** A queue whose lanes run as tracked promises, so a test can wait for all of them. */
function trackedQueue(options: { concurrency?: number; busyGapMs?: number; fairAfterMs?: number } = {}) {
  const loops: Promise<void>[] = [];
  const queue = createAckFirstQueue({ ...options, start: (loop) => void loops.push(loop()) });
  return {
    queue,
    settled: async () => {
      for (let i = 0; i < loops.length; i++) await loops[i];
    },
  };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the ack-first queue', () => {
  it('runs every task once, never more than its lanes at a time', async () => {
    const { queue, settled } = trackedQueue({ concurrency: 3 });
    let running = 0;
    let most = 0;
    const ran: string[] = [];
    for (let i = 0; i < 20; i++) {
      queue.push(`e${i}`, async () => {
        running++;
        most = Math.max(most, running);
        await tick(2);
        ran.push(`e${i}`);
        running--;
      });
    }
    await settled();
    expect(ran.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}`).sort());
    expect(most).toBe(3);
    expect(queue.size).toBe(0);
  });

  it('takes a key once while it is queued or running', async () => {
    const { queue, settled } = trackedQueue();
    let runs = 0;
    let release!: () => void;
    const task = () => new Promise<void>((r) => ((release = r), runs++));
    expect(queue.push('same', task)).toBe(true);
    expect(queue.push('same', task)).toBe(false);
    await tick(10);
    expect(runs).toBe(1);
    expect(queue.push('same', task)).toBe(false); // running
    release();
    await settled();
    expect(queue.push('same', async () => void runs++)).toBe(true); // finished: a later push runs again
    await settled();
    expect(runs).toBe(2);
  });

  it('holds work back while an ack is in flight and drains the backlog when acks stop', async () => {
    const { queue, settled } = trackedQueue({ busyGapMs: 60_000, fairAfterMs: 60_000 });
    const done = queue.ackStarted();
    let ran = 0;
    for (let i = 0; i < 10; i++) queue.push(`e${i}`, async () => void ran++);
    await tick(50);
    expect(ran).toBe(0);
    done();
    done(); // a second call changes nothing
    await settled();
    expect(ran).toBe(10);
  });

  it('keeps a trickle moving under a steady stream of acks, so processing never starves', async () => {
    const { queue, settled } = trackedQueue({ busyGapMs: 20, fairAfterMs: 60_000 });
    let ran = 0;
    for (let i = 0; i < 200; i++) queue.push(`e${i}`, async () => void ran++);
    const done = queue.ackStarted();
    await tick(400);
    const duringAcks = ran;
    done();
    await settled();
    expect(duringAcks).toBeGreaterThan(0);
    expect(duringAcks).toBeLessThan(100);
    expect(ran).toBe(200);
  });

  it('stops waiting for a pause once work has waited too long: a load that never pauses still gets its replies', async () => {
    const { queue, settled } = trackedQueue({ busyGapMs: 1_000, fairAfterMs: 100 });
    const done = queue.ackStarted(); // acks never pause during this test
    let ran = 0;
    for (let i = 0; i < 10; i++) queue.push(`e${i}`, async () => void ran++);
    await tick(30);
    expect(ran).toBe(0); // young backlog: acks first
    await tick(400); // well before the trickle lane wakes (1 s)
    expect(ran).toBe(10);
    await settled();
    expect(ran).toBe(10);
    done();
  });

  it('survives a task that throws', async () => {
    const { queue, settled } = trackedQueue({ concurrency: 1 });
    const ran: string[] = [];
    queue.push('bad', async () => {
      throw new Error('boom');
    });
    queue.push('good', async () => void ran.push('good'));
    await settled();
    expect(ran).toEqual(['good']);
  });
});
