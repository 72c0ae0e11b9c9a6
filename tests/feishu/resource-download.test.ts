/**
 * Downloading a file someone sent (获取消息中的资源文件), through the real SDK against the fake
 * Feishu on loopback: an error answered as JSON is read as an error (never as the file), and an
 * expired or revoked token is refreshed once, whatever HTTP status carries it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSdkFeishuClient } from '../../src/feishu/sdk-client.js';
import type { FeishuClient } from '../../src/port/feishu-client.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { captureLogger } from '../helpers/harness.js';

const RESOURCE = /^GET \/open-apis\/im\/v1\/messages\/[^/]+\/resources\//;
const FILE = Buffer.from('PK\u0003\u0004 a ledger, byte for byte');

describe('message resource downloads', () => {
  let fake: FakeFeishu;
  let client: FeishuClient;
  const download = () => client.downloadMessageResource('om_file_1', 'file_v3_1', { maxBytes: 1024 * 1024 });

  beforeEach(async () => {
    fake = await startFakeFeishu();
    client = createSdkFeishuClient({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url, log: captureLogger() });
    fake.resources.set('om_file_1/file_v3_1', FILE);
  });
  afterEach(async () => {
    await fake.stop();
  });

  it('returns the file as sent', async () => {
    expect(Buffer.from(await download())).toEqual(FILE);
  });

  it('refreshes a revoked token once (HTTP 400, code 99991663) and downloads', async () => {
    await download();
    fake.revokeTokens();
    expect(Buffer.from(await download())).toEqual(FILE);
    expect(fake.tokenRequests).toBe(2);
  });

  it('reads an expired-token answer sent as HTTP 200 JSON as an error, refreshes and downloads', async () => {
    await download();
    fake.failNext({ match: RESOURCE, status: 200, body: { code: 99991663, msg: 'Invalid access token for authorization.' } });
    expect(Buffer.from(await download())).toEqual(FILE);
    expect(fake.tokenRequests).toBe(2);
  });

  it('names the platform code and message of a refusal, in either status, never the body bytes', async () => {
    fake.failNext({ match: RESOURCE, status: 200, body: { code: 234037, msg: 'Downloaded file size exceeds limit.' } });
    await expect(download()).rejects.toThrow(/^file download failed: code 234037 Downloaded file size exceeds limit\.$/);
    fake.failNext({ match: RESOURCE, status: 400, body: { code: 234003, msg: 'File not in msg.' } });
    await expect(download()).rejects.toThrow(/^file download failed: HTTP 400 code 234003 File not in msg\.$/);
  });

  it('gives up after one refresh when the token is refused again', async () => {
    fake.failNext({ match: RESOURCE, status: 200, body: { code: 99991663, msg: 'Invalid access token' }, times: 2 });
    await expect(download()).rejects.toThrow(/code 99991663/);
  });
});
