/**
 * A ledger file whose handling kills the process every time: the service comes back, runs it
 * at most three times in all, then parks it and tells the sender, and keeps answering others.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_ATTEMPTS } from '../../src/feishu/inbox.js';
import { readable } from '../helpers/chat.js';
import { tempDir } from '../helpers/harness.js';
import { feishuProcessEnv, freePort, postToProcess, useServiceProcesses } from '../helpers/node-process.js';
import { messageEvent } from '../helpers/payloads.js';
import { ledgerCsv } from './ledger-files.js';

const ADMIN = 'ou_admin00000000000000000000000001';

describe('a ledger file that kills the process while it is handled', () => {
  const processes = useServiceProcesses();

  it('is parked after three lives, the sender is told once, and the service keeps answering', async () => {
    const fake = processes.fake();
    const dir = tempDir();
    const port = await freePort();
    const env = feishuProcessEnv(fake, join(dir.path, 'duban.sqlite'), { ADMIN_OPEN_IDS: ADMIN });
    const messageId = 'om_poison_file';
    const fileKey = 'file_v3_poison';
    fake.resources.set(`${messageId}/${fileKey}`, Buffer.from(ledgerCsv(3)));
    // The download hangs in every life, and each life is killed there: the file never finishes.
    fake.failNext({ match: /\/resources\//, status: 200, body: {}, delayMs: 'hang', times: MAX_EVENT_ATTEMPTS });
    const downloads = () => fake.requests.filter((r) => r.path.includes('/resources/')).length;
    const file = messageEvent({
      text: '',
      openId: ADMIN,
      messageId,
      messageType: 'file',
      content: JSON.stringify({ file_key: fileKey, file_name: '台账.csv' }),
    });
    for (let life = 1; life <= MAX_EVENT_ATTEMPTS; life++) {
      const p = await processes.start(env, port);
      if (life === 1) expect((await postToProcess(port, file)).status).toBe(200);
      await fake.waitFor(() => downloads() === life, 20_000, `the download in life ${life}`);
      p.child.kill('SIGKILL');
      await p.exited();
    }
    expect(fake.sent('reply')).toHaveLength(0);

    const last = await processes.start(env, port);
    await fake.waitFor(() => fake.sent('reply').some((m) => m.target === messageId), 20_000, 'the message to the sender');
    expect(readable(fake.sent('reply').find((m) => m.target === messageId)!)).toMatch(/^抱歉，您的这条消息已尝试处理 3 次仍未成功/);
    // Healthy and answering someone else, and the file was not tried a fourth time.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await postToProcess(port, messageEvent({ text: '/help', openId: ADMIN, messageId: 'om_after_poison' }))).status).toBe(200);
    await fake.waitFor(() => fake.sent('reply').some((m) => m.target === 'om_after_poison'), 20_000, 'the answer to /help');
    expect(downloads()).toBe(MAX_EVENT_ATTEMPTS);
    expect(fake.sent('reply').filter((m) => m.target === messageId)).toHaveLength(1);
    last.child.kill('SIGTERM');
    await last.exited();
    dir.remove();
  }, 150_000);
});
