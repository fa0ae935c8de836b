import type { CommandDefinition } from '../command';
import { certCommand } from './cert';
import { getCommand } from './get';
import { lsCommand } from './ls';
import { mirrorCommand } from './mirror';
import { putCommand } from './put';
import { sitesCommand } from './sites';

/**
 * Every `ferry` command, in the order `ferry --help` lists them. A new command is one module
 * exporting a CommandDefinition plus one line here.
 */
export const COMMANDS: readonly CommandDefinition[] = [
  lsCommand,
  getCommand,
  putCommand,
  mirrorCommand,
  certCommand,
  sitesCommand,
];

export function findCommand(name: string): CommandDefinition | undefined {
  return COMMANDS.find((command) => command.name === name);
}
