/** What the commands about one measure share: finding the measure named, answering with its card. */
import type { ServiceDeps } from '../src/deps.js';
import { resolveCampaign } from '../src/services/campaign-context.js';
import { UserError } from '../src/services/errors.js';
import { canSee } from '../src/services/measure-access.js';
import { findMeasureByCode } from '../src/services/measure-lookup.js';
import type { Notice } from '../src/services/notice.js';
import type { MeasureRow } from '../src/services/records.js';
import { audienceIn } from '../src/views/audience.js';
import { measureChangeOutcome } from '../src/views/measure.view.js';
import type { CommandContext, CommandOutcome } from './types.js';

/**
 * The measure a command names, in the chat's campaign, if the actor may see it. `acting` names
 * what the command would do (汇报进展), so a refusal says that, not merely that it cannot be seen.
 */
export async function measureFor(ctx: CommandContext, code: string, acting?: string): Promise<MeasureRow> {
  const campaign = await resolveCampaign(ctx.deps, ctx.chat.id);
  const measure = await findMeasureByCode(ctx.deps, campaign.id, code);
  if (!canSee(ctx.actor, measure)) {
    throw new UserError(`措施 ${measure.code} 不在您的职责范围内，${acting ? `不能为他人负责的措施${acting}` : '无法查看'}。`);
  }
  return measure;
}

/** A confirmation line plus the measure's up-to-date card (drawn for the chat it goes to), and the notices. */
export function changeOutcome(
  ctx: CommandContext & { deps: ServiceDeps },
  confirmation: string,
  measure: MeasureRow,
  notices: Notice[],
): Promise<CommandOutcome> {
  return measureChangeOutcome(ctx.deps, audienceIn(ctx.chat.type, ctx.actor), confirmation, measure, notices);
}
