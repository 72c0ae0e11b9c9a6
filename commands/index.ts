import { exportCommand } from './export.command.js';
import { helpCommand } from './help.command.js';
import { importCancelCommand } from './import-cancel.command.js';
import { importConfirmCommand } from './import-confirm.command.js';
import { createRegistry } from './registry.js';

/** Every chat command duban understands. Order is the order /help lists them in. */
export const registry = createRegistry([helpCommand, importConfirmCommand, importCancelCommand, exportCommand]);
