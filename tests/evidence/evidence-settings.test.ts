import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { evidenceDirOf } from '../../src/entry.node.js';
import { readable, say } from '../helpers/chat.js';
import { messageEvent } from '../helpers/payloads.js';
import { useSeededService } from '../helpers/seeded-service.js';

describe('evidence settings', () => {
  it('reads EVIDENCE_DIR, EVIDENCE_MAX_MB and EVIDENCE_REQUIRED, with their defaults, and names a bad one', () => {
    const defaults = parseConfig({ DATABASE_PATH: '/srv/duban/duban.sqlite' });
    expect(defaults.evidence).toEqual({ dir: undefined, maxMb: 20, required: true });
    expect(evidenceDirOf(defaults)).toBe('/srv/duban/evidence');
    const set = parseConfig({ EVIDENCE_DIR: '/data/evidence', EVIDENCE_MAX_MB: '5', EVIDENCE_REQUIRED: 'false' });
    expect(set.evidence).toEqual({ dir: '/data/evidence', maxMb: 5, required: false });
    expect(evidenceDirOf(set)).toBe('/data/evidence');
    expect(() => parseConfig({ EVIDENCE_MAX_MB: '101' })).toThrow(/EVIDENCE_MAX_MB: expected at most 100 MB/);
    expect(() => parseConfig({ EVIDENCE_REQUIRED: 'maybe' })).toThrow(/EVIDENCE_REQUIRED: expected true or false/);
  });
});

describe('with EVIDENCE_REQUIRED=false, EVIDENCE_MAX_MB=1 and EVIDENCE_DIR set', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'duban-evidence-')), 'kept');
  const t = useSeededService({ now: '2025-10-09T02:00:00.000Z', env: { EVIDENCE_REQUIRED: 'false', EVIDENCE_MAX_MB: '1', EVIDENCE_DIR: dir } });

  it('applies for closure without evidence, refuses a file above 1 MB and keeps files in EVIDENCE_DIR', async () => {
    expect((await say(t.svc, t.fake, 'ou_wang', '/done 1.1.1')).replies[0]).toContain('已提交措施 1.1.1 的销号申请');
    await say(t.svc, t.fake, 'ou_wang', '/佐证 1.2.1');
    const send = async (name: string, bytes: Buffer) => {
      const messageId = `om_setting_${name}`;
      t.fake.resources.set(`${messageId}/file_${name}`, bytes);
      await t.svc.post(
        messageEvent({ text: '', openId: 'ou_wang', messageId, messageType: 'file', content: JSON.stringify({ file_key: `file_${name}`, file_name: name }) }),
      );
      await t.svc.settle();
      return t.fake
        .sent('reply')
        .filter((m) => m.target === messageId)
        .map(readable);
    };
    expect(await send('big.pdf', Buffer.alloc(1024 * 1024 + 1))).toEqual([
      '“big.pdf”大小 1.0 MB，超过佐证材料 1 MB 的上限，没有保存。请压缩或拆分后重新发送。',
    ]);
    expect(await send('small.pdf', Buffer.from('ok'))).toEqual(['已作为 1.2.1 的佐证材料：small.pdf']);
    expect(existsSync(join(dir, createHash('sha256').update('ok').digest('hex')))).toBe(true);
  });
});
