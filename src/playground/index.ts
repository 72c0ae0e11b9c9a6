/**
 * The playground (/playground): a page that behaves like Feishu for duban, served by the Node
 * service in local mode only. It sits above the app: it posts events to the app's webhook and
 * provides the FeishuClient the app sends through.
 */
import type { Hono } from 'hono';
import type { AppConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { DEFAULT_CAST } from './cast.js';
import { randomSecret } from './events.js';
import { createPlaygroundHub, type PlaygroundHub } from './hub.js';
import { createPlayground } from './server.js';

export { createPlaygroundHub, type PlaygroundHub };

/**
 * The configuration the app runs with when the playground is on. The door stays signed and
 * encrypted: without a configured Encrypt Key and Verification Token, random ones are made for
 * this run, so the playground's events are verified exactly as Feishu's would be. The cast's
 * administrator is an admin the way ADMIN_OPEN_IDS makes one.
 */
export function playgroundConfig(config: AppConfig): AppConfig {
  const admins = DEFAULT_CAST.filter((c) => c.role === 'admin').map((c) => c.openId);
  return {
    ...config,
    feishu: {
      ...config.feishu,
      encryptKey: config.feishu.encryptKey ?? randomSecret(),
      verificationToken: config.feishu.verificationToken ?? randomSecret(),
    },
    adminOpenIds: [...new Set([...config.adminOpenIds, ...admins])],
  };
}

/** Mounts /playground on the app; events go in through the app's own /feishu/events. */
export function attachPlayground(app: Hono, deps: Deps, hub: PlaygroundHub) {
  const playground = createPlayground({ deps, hub, door: app });
  app.route('/playground', playground.routes);
  return playground;
}
