import { helpCommand } from './help.command.js';
import { createRegistry } from './registry.js';

/** Every chat command duban understands. Order is the order /help lists them in. */
export const registry = createRegistry([helpCommand]);
