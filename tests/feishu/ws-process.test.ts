/**
 * `FEISHU_EVENT_MODE=websocket npm start` as a process (the built bundle) against the fake
 * long-connection server: events and a card press arrive over the connection, answered once each.
 */
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { measureFieldNames } from '../../cards/actions.js';
import { cardMessages, measures, progressReports } from '../../db/schema.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { startFakeLongConnectionServer, waitUntil } from '../helpers/fake-ws-server.js';
import { tempDir } from '../helpers/harness.js';
import { feishuProcessEnv, freePort, postToProcess, useServiceProcesses } from '../helpers/node-process.js';
import { cardActionEvent, messageEvent } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

describe('FEISHU_EVENT_MODE=websocket npm start', () => {
  const processes = useServiceProcesses();

  it('answers /help and a card press once each over the long connection, reconnects, and shows the connection in /healthz', async () => {
    const fake = processes.fake();
    const ws = await startFakeLongConnectionServer({ appId: fake.appId, appSecret: fake.appSecret }, fake.url);
    ws.clientConfig = { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };
    const dir = tempDir();
    const databasePath = join(dir.path, 'duban.sqlite');
    const seeded = openNodeDatabase(databasePath);
    const ledger = await seedLedger(seeded.db, nationalDayLedger());
    const measure = async () => (await seeded.db.select().from(measures).where(eq(measures.id, ledger.measures['1.2.1']!)))[0]!;
    const m = await measure();
    try {
      const port = await freePort();
      const env = feishuProcessEnv(fake, databasePath, { FEISHU_EVENT_MODE: 'websocket', FEISHU_BASE_URL: ws.url, LOG_LEVEL: 'info' });
      const service = await processes.start(env, port);
      await ws.waitForConnections(1);

      // Connected once the first pong came back over the socket.
      let health = { status: 0, body: {} as { connection?: { state?: string } } };
      for (let i = 0; i < 50 && health.body.connection?.state !== 'connected'; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        health = { status: res.status, body: (await res.json()) as typeof health.body };
        if (health.body.connection?.state !== 'connected') await new Promise((r) => setTimeout(r, 100));
      }
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', eventMode: 'websocket', connection: { state: 'connected', healthy: true } });
      expect((await postToProcess(port, messageEvent({ text: '/help' }))).status).toBe(404);

      const help = await ws.push(messageEvent({ text: '/help', messageId: 'om_proc_help' }));
      expect(help.code).toBe(200);
      expect(help.data).toEqual({});
      await ws.push(messageEvent({ text: '/show 1.2.1', openId: 'ou_wang', messageId: 'om_proc_show' }));
      await fake.waitFor(() => fake.sent('reply').some((r) => r.target === 'om_proc_show' && r.msgType === 'interactive'), 10_000, 'the measure card');
      const card = fake.sent('reply').find((r) => r.target === 'om_proc_show' && r.msgType === 'interactive')!;
      // The service notes which measure the card shows once Feishu has answered the send.
      const noted = async () => (await seeded.db.select().from(cardMessages).where(eq(cardMessages.messageId, card.messageId))).length > 0;
      for (let i = 0; i < 100 && !(await noted()); i++) await new Promise((r) => setTimeout(r, 50));
      const press = cardActionEvent({
        openId: 'ou_wang',
        messageId: card.messageId,
        value: { action: 'measure.report', measureId: m.id, version: m.version },
        formValue: { [measureFieldNames(m.id).reportText]: '进程里汇报' },
      });
      const answer = await ws.push(press);
      expect(answer.code).toBe(200);
      expect(answer.ms).toBeLessThan(3000);
      expect(answer.data.toast, service.output()).toEqual({ type: 'success', content: '进展已记录' });
      const again = await ws.push(press);
      expect(again.data).toEqual({});

      // The connection dies; the service reconnects and keeps answering.
      ws.dropAll();
      await ws.waitForConnections(1);
      await ws.push(messageEvent({ text: '/help', messageId: 'om_proc_after_drop' }));
      await fake.waitFor(() => fake.sent('reply').some((r) => r.target === 'om_proc_after_drop'), 10_000, 'the reply after the reconnect');

      expect(fake.sent('reply').filter((r) => r.target === 'om_proc_help')).toHaveLength(1);
      const reports = await seeded.db.select().from(progressReports).where(eq(progressReports.measureId, m.id));
      expect(reports.map((r) => r.text)).toEqual(['进程里汇报']);
      const lines = (re: RegExp) =>
        service
          .output()
          .split('\n')
          .filter((l) => re.test(l));
      expect(lines(/feishu long connection open/)).toHaveLength(1);
      expect(lines(/feishu long connection lost, reconnecting/)).toHaveLength(1);
      await waitUntil(() => lines(/feishu long connection reconnected/).length === 1, 5_000, 'the reconnected line');
      expect(lines(/ping|pong/i)).toEqual([]);

      // SIGTERM closes the connection and exits cleanly.
      service.child.kill('SIGTERM');
      expect(await service.exited()).toBe(0);
      await waitUntil(() => ws.connections.length === 0, 5_000, 'the connection to close');
    } finally {
      seeded.close();
      await ws.stop();
      dir.remove();
    }
  });
});
