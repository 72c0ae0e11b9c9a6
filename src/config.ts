import { Cron } from 'croner';
import { z } from 'zod';
import { HolidayOverridesSchema, type HolidayOverrides } from './domain/holiday-overrides.js';

/**
 * The whole environment of duban, parsed once. This module is the only place that
 * knows variable names; everything else receives a typed AppConfig.
 */

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A cron pattern (minute hour day month weekday), read in TIMEZONE. */
const cronText = z.string().trim().refine(isCronPattern, { message: 'expected a cron expression such as "0 9 * * *" (minute hour day month weekday)' });

function isCronPattern(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

const ConfigSchema = z
  .object({
    PORT: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a port number (1-65535)')
      .transform(Number)
      .pipe(z.number().int().min(1, 'expected a port number (1-65535)').max(65535, 'expected a port number (1-65535)'))
      .default(3000),
    HOST: optionalText.pipe(
      z
        .string()
        .regex(/^(\[[0-9A-Fa-f:.%\w]+\]|[0-9A-Za-z.:%_-]+)$/, 'expected an address to listen on, such as 127.0.0.1, 0.0.0.0 or ::')
        .transform((v) => v.replace(/^\[(.*)\]$/, '$1'))
        .optional(),
    ),
    DATABASE_PATH: z.string().trim().min(1, 'expected a file path').default('data/duban.sqlite'),
    FEISHU_APP_ID: optionalText.pipe(
      z
        .string()
        .regex(/^cli_[0-9a-zA-Z]+$/, 'expected an app id such as cli_a1b2c3d4e5f60718')
        .optional(),
    ),
    FEISHU_APP_SECRET: optionalText,
    FEISHU_VERIFICATION_TOKEN: optionalText,
    FEISHU_ENCRYPT_KEY: optionalText,
    FEISHU_BASE_URL: z
      .string()
      .trim()
      .default('https://open.feishu.cn')
      .refine((v) => /^https?:\/\/[^\s/?#]+(?::\d+)?\/?$/.test(v) && URL.canParse(v), {
        message: 'expected an http(s) origin such as https://open.feishu.cn',
      })
      .transform((v) => v.replace(/\/+$/, '')),
    ADMIN_OPEN_IDS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(/[,，\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^ou_[0-9a-zA-Z_-]+$/, 'expected comma-separated open_ids starting with ou_'))),
    TIMEZONE: z.string().trim().default('Asia/Shanghai').refine(isTimeZone, { message: 'expected an IANA time zone such as Asia/Shanghai' }),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug'], { message: 'expected one of error, warn, info, debug' }).default('info'),
    WORK_LEASE_SECONDS: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of seconds')
      .transform(Number)
      .pipe(z.number().int().min(1, 'expected at least 1 second').max(3600, 'expected at most 3600 seconds'))
      .default(30),
    FEISHU_EVENT_MODE: z.enum(['webhook', 'websocket'], { message: 'expected webhook or websocket' }).default('webhook'),
    FEISHU_WS_UNHEALTHY_AFTER_SECONDS: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of seconds')
      .transform(Number)
      .pipe(z.number().int().min(1, 'expected at least 1 second').max(3600, 'expected at most 3600 seconds'))
      .default(60),
    FEISHU_REPLAY_WINDOW_SECONDS: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of seconds')
      .transform(Number)
      .pipe(z.number().int().min(300, 'expected at least 300 seconds').max(86400, 'expected at most 86400 seconds (24 hours)'))
      .default(3600),
    HOLIDAY_OVERRIDES: z
      .string()
      .trim()
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected JSON such as {"off":["2027-01-01"],"work":["2027-02-06"]}' });
          return z.NEVER;
        }
      })
      .pipe(HolidayOverridesSchema)
      .optional(),
    REMINDER_CRON: cronText.default('0 9 * * *'),
    WEEKLY_SUMMARY_CRON: cronText.default('0 9 * * 1'),
    REMINDER_LEAD_DAYS: z
      .string()
      .trim()
      .regex(/^\d+([,，\s]+\d+)*$/, 'expected comma-separated working-day counts such as 7,3,1')
      .transform((v) => [...new Set(v.split(/[,，\s]+/).map(Number))].filter((n) => n > 0).sort((a, b) => b - a))
      .pipe(z.array(z.number().int().max(60, 'expected lead times of at most 60 working days')).min(1, 'expected at least one lead time above 0'))
      .default([7, 3, 1]),
    ESCALATE_AFTER_DAYS: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of working days')
      .transform(Number)
      .pipe(z.number().int().min(1, 'expected at least 1 working day').max(60, 'expected at most 60 working days'))
      .default(3),
    ONGOING_REPORT_PERIOD: z.enum(['weekly', 'monthly', 'quarterly'], { message: 'expected one of weekly, monthly, quarterly' }).default('monthly'),
    IMPORT_MAX_MB: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of megabytes')
      .transform(Number)
      // The platform serves message files up to 100 MB (获取消息中的资源文件).
      .pipe(z.number().int().min(1, 'expected at least 1 MB').max(100, 'expected at most 100 MB'))
      .default(10),
    IMPORT_MAX_ROWS: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of measures')
      .transform(Number)
      .pipe(z.number().int().min(1, 'expected at least 1 measure').max(100_000, 'expected at most 100000 measures'))
      .default(5000),
    RECHECK_AFTER_MONTHS: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of months (0 turns re-checks off)')
      .transform(Number)
      .pipe(z.number().int().max(60, 'expected at most 60 months'))
      .default(6),
    SUMMARY_MENTION_OWNERS: flag.default(false),
    EVIDENCE_DIR: optionalText,
    EVIDENCE_MAX_MB: z
      .string()
      .trim()
      .regex(/^\d+$/, 'expected a whole number of megabytes')
      .transform(Number)
      // The platform serves message files up to 100 MB (获取消息中的资源文件).
      .pipe(z.number().int().min(1, 'expected at least 1 MB').max(100, 'expected at most 100 MB'))
      .default(20),
    EVIDENCE_REQUIRED: flag.default(true),
  })
  .superRefine((c, ctx) => {
    if (c.FEISHU_APP_ID && !c.FEISHU_APP_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['FEISHU_APP_SECRET'], message: 'required when FEISHU_APP_ID is set' });
    }
    if (c.FEISHU_APP_SECRET && !c.FEISHU_APP_ID) {
      ctx.addIssue({ code: 'custom', path: ['FEISHU_APP_ID'], message: 'required when FEISHU_APP_SECRET is set' });
    }
    if (c.FEISHU_EVENT_MODE === 'websocket') {
      if (!c.FEISHU_APP_ID) {
        ctx.addIssue({
          code: 'custom',
          path: ['FEISHU_APP_ID'],
          message: 'required when FEISHU_EVENT_MODE is websocket (the long connection signs in with the app credentials)',
        });
      } else if (!/^cli_[0-9a-fA-F]{16}$/.test(c.FEISHU_APP_ID)) {
        // The SDK's WSClient.start() logs and returns without connecting for any other shape.
        ctx.addIssue({ code: 'custom', path: ['FEISHU_APP_ID'], message: 'expected cli_ followed by 16 hexadecimal digits for the long connection' });
      }
      return;
    }
    // Requests to /feishu/events must be verifiable; the long connection is authenticated by the app secret instead.
    if (c.FEISHU_APP_ID && !c.FEISHU_VERIFICATION_TOKEN && !c.FEISHU_ENCRYPT_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['FEISHU_ENCRYPT_KEY'],
        message: 'set FEISHU_ENCRYPT_KEY (recommended) or FEISHU_VERIFICATION_TOKEN so incoming requests can be verified',
      });
    }
  });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface AppConfig {
  port: number;
  /**
   * The address the Node server listens on; undefined means every interface. Local mode serves
   * the playground, where whoever reaches it acts as anyone, so it listens on 127.0.0.1 unless
   * HOST says otherwise.
   */
  host: string | undefined;
  databasePath: string;
  /** local: no Feishu credentials, messages are logged instead of sent */
  mode: 'local' | 'feishu';
  feishu: {
    appId?: string;
    appSecret?: string;
    verificationToken?: string;
    encryptKey?: string;
    baseUrl: string;
    /** how old a signed request (or, unsigned, an event) may be before it is refused as a replay */
    replayWindowMs: number;
    /**
     * How events and callbacks arrive: POST /feishu/events (webhook), or the SDK's outbound long
     * connection (websocket, Node only: no public URL needed).
     */
    eventMode: EventMode;
    /** websocket mode: /healthz answers 503 once the connection has been down this long */
    wsUnhealthyAfterMs: number;
  };
  adminOpenIds: string[];
  timezone: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  workLeaseMs: number;
  /** limits on one imported ledger file, checked before anything is kept */
  imports: {
    /** the largest file accepted, in MB (checked while downloading) */
    maxMb: number;
    /** the most measures (spreadsheet rows below the header) one file may hold */
    maxRows: number;
  };
  /** evidence (佐证材料) attached to measures */
  evidence: {
    /** Node: the folder files are kept in; undefined means an evidence/ folder beside the database */
    dir?: string;
    /** the largest file accepted, in MB (checked while downloading) */
    maxMb: number;
    /** applying for closure needs evidence unless the secretary waived it for the measure */
    required: boolean;
  };
  /** local corrections to the working-day calendar */
  holidayOverrides?: HolidayOverrides;
  scheduler: {
    reminderCron: string;
    weeklySummaryCron: string;
    /** working days before the due date at which owners are reminded, largest first */
    reminderLeadDays: number[];
    escalateAfterDays: number;
    ongoingReportPeriod: OngoingReportPeriod;
    mentionOwnersInSummary: boolean;
    /** 回头看: months after closure at which a closed measure is re-checked; 0 = never */
    recheckAfterMonths: number;
  };
}

export type EventMode = 'webhook' | 'websocket';
/** Where the configuration is read: the long connection needs a long-running Node process. */
export type ConfigRuntime = 'node' | 'workers';

export type OngoingReportPeriod = 'weekly' | 'monthly' | 'quarterly';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`Invalid setting ${variable}: ${expected}`);
  }
}

/** Parses an environment map; throws ConfigError naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>, runtime: ConfigRuntime = 'node'): AppConfig {
  // An empty value (PORT= in a .env file) means "use the default", as most tools read it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = env[variable];
    const shown = got === undefined ? '' : ` (got "${got.length > 60 ? got.slice(0, 57) + '...' : got}")`;
    throw new ConfigError(variable, issue.message + shown);
  }
  const c = result.data;
  if (runtime === 'workers' && c.FEISHU_EVENT_MODE === 'websocket') {
    throw new ConfigError(
      'FEISHU_EVENT_MODE',
      'websocket needs a long-running Node process (npm start); on Cloudflare Workers events arrive by webhook only, so set it to webhook or remove it',
    );
  }
  const mode = c.FEISHU_APP_ID && c.FEISHU_APP_SECRET ? 'feishu' : 'local';
  return {
    port: c.PORT,
    host: c.HOST ?? (mode === 'local' ? '127.0.0.1' : undefined),
    databasePath: c.DATABASE_PATH,
    mode,
    feishu: {
      appId: c.FEISHU_APP_ID,
      appSecret: c.FEISHU_APP_SECRET,
      verificationToken: c.FEISHU_VERIFICATION_TOKEN,
      encryptKey: c.FEISHU_ENCRYPT_KEY,
      baseUrl: c.FEISHU_BASE_URL,
      replayWindowMs: c.FEISHU_REPLAY_WINDOW_SECONDS * 1000,
      eventMode: c.FEISHU_EVENT_MODE,
      wsUnhealthyAfterMs: c.FEISHU_WS_UNHEALTHY_AFTER_SECONDS * 1000,
    },
    adminOpenIds: c.ADMIN_OPEN_IDS,
    timezone: c.TIMEZONE,
    logLevel: c.LOG_LEVEL,
    workLeaseMs: c.WORK_LEASE_SECONDS * 1000,
    holidayOverrides: c.HOLIDAY_OVERRIDES,
    imports: { maxMb: c.IMPORT_MAX_MB, maxRows: c.IMPORT_MAX_ROWS },
    evidence: { dir: c.EVIDENCE_DIR, maxMb: c.EVIDENCE_MAX_MB, required: c.EVIDENCE_REQUIRED },
    scheduler: {
      reminderCron: c.REMINDER_CRON,
      weeklySummaryCron: c.WEEKLY_SUMMARY_CRON,
      reminderLeadDays: c.REMINDER_LEAD_DAYS,
      escalateAfterDays: c.ESCALATE_AFTER_DAYS,
      ongoingReportPeriod: c.ONGOING_REPORT_PERIOD,
      mentionOwnersInSummary: c.SUMMARY_MENTION_OWNERS,
      recheckAfterMonths: c.RECHECK_AFTER_MONTHS,
    },
  };
}
