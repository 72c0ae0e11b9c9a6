import { assignCommand, roleCommand } from './assign.command.js';
import { bindGroupCommand, campaignCommand } from './campaign.command.js';
import { deadlineCommand } from './deadline.command.js';
import { doneCommand } from './done.command.js';
import { evidenceCommand, waiveEvidenceCommand } from './evidence.command.js';
import { exportArchiveCommand, exportCommand } from './export.command.js';
import { approveExtensionCommand, extendCommand, rejectExtensionCommand } from './extend.command.js';
import { helpCommand } from './help.command.js';
import { importCancelCommand } from './import-cancel.command.js';
import { importConfirmCommand } from './import-confirm.command.js';
import { mineCommand } from './mine.command.js';
import { createRegistry } from './registry.js';
import { reportCommand } from './report.command.js';
import { showCommand } from './show.command.js';
import { summaryCommand } from './summary.command.js';
import { dueCommand, overdueCommand, statusCommand } from './status.command.js';
import { returnCommand, verifyCommand } from './verify.command.js';

/** Every chat command duban understands. Order is the order /help lists them in. */
export const registry = createRegistry([
  helpCommand,
  mineCommand,
  reportCommand,
  doneCommand,
  evidenceCommand,
  extendCommand,
  showCommand,
  dueCommand,
  statusCommand,
  overdueCommand,
  summaryCommand,
  verifyCommand,
  returnCommand,
  approveExtensionCommand,
  rejectExtensionCommand,
  deadlineCommand,
  waiveEvidenceCommand,
  assignCommand,
  importConfirmCommand,
  importCancelCommand,
  exportCommand,
  exportArchiveCommand,
  campaignCommand,
  bindGroupCommand,
  roleCommand,
]);
