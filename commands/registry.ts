import { hasAnyRole } from '../src/services/measure-access.js';
import type { Command, CommandRegistry } from './types.js';

/** Normalises a command word: case, full-width forms, a leading slash of either width. */
export function normalizeCommandWord(word: string): string {
  return word
    .normalize('NFKC')
    .replace(/^[/／]/, '')
    .toLowerCase();
}

/** Builds the lookup table; a name or alias used twice is a programming error. */
export function createRegistry(commands: readonly Command<any>[]): CommandRegistry {
  const byWord = new Map<string, Command<any>>();
  for (const c of commands) {
    for (const w of [c.name, ...c.aliases]) {
      const key = normalizeCommandWord(w);
      const other = byWord.get(key);
      if (other) throw new Error(`command word "${w}" is used by both /${other.name} and /${c.name}`);
      byWord.set(key, c);
    }
  }
  return { commands, find: (word) => byWord.get(normalizeCommandWord(word)) };
}

/** Whether an actor may run a command, from the roles the database holds. */
export function mayRun(command: Command<any>, roles: ReadonlySet<string>): boolean {
  return command.roles === 'anyone' || hasAnyRole({ roles }, command.roles);
}
