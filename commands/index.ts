import { helpCommand } from './help.command.js';
import { createRegistry } from './registry.js';
import { summaryCommand } from './summary.command.js';

/** Every chat command duban understands. Order is the order /help lists them in. */
export const registry = createRegistry([helpCommand, summaryCommand]);
