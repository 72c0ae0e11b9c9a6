/**
 * One target of the ingest benchmark, run in its own process so the load generator does not
 * share its core: `duban` is the real service with the inbox on a SQLite file (processing
 * after the ack is left out: the benchmark measures verify + decrypt + persist + ack);
 * `sdk` is the official SDK's EventDispatcher behind adaptDefault (it persists nothing).
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as lark from '@larksuiteoapi/node-sdk';
import { serve } from '@hono/node-server';
import { parseConfig } from '../src/config.js';
import { createNodeService } from '../src/entry.node.js';
import { silentLogger } from '../src/logger.js';

const [target, encryptKey, token] = process.argv.slice(2) as [string, string, string];

async function main() {
  if (target === 'duban') {
    const dir = mkdtempSync(join(tmpdir(), 'duban-bench-'));
    const config = parseConfig({ DATABASE_PATH: join(dir, 'bench.sqlite'), FEISHU_ENCRYPT_KEY: encryptKey, FEISHU_VERIFICATION_TOKEN: token, LOG_LEVEL: 'error' });
    const service = await createNodeService(config, { log: silentLogger, defer: () => {} });
    const server = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`PORT ${info.port}\n`));
    server.on('error', (e) => {
      console.error(e);
      process.exit(1);
    });
  } else {
    const dispatcher = new lark.EventDispatcher({ encryptKey, verificationToken: token, loggerLevel: lark.LoggerLevel.error, logger: { error() {}, warn() {}, info() {}, debug() {}, trace() {} } }).register({
      'im.message.receive_v1': async () => ({}),
    });
    const server = createServer(lark.adaptDefault('/feishu/events', dispatcher, { autoChallenge: true }));
    server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as { port: number }).port}\n`));
  }
}

main();
