import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Commands that another package carries. The router does not depend on them: `model-canary` runs them in this
 * process when their package is installed, and otherwise names the package to install.
 */
export const DELEGATED_COMMANDS = {
  rehearse: '@model-canary/controller',
  ramp: '@model-canary/controller',
  report: '@model-canary/controller',
  simulator: '@model-canary/simulator',
} as const;

export type DelegatedCommand = keyof typeof DELEGATED_COMMANDS;

/** What `<package>/cli` exports: one function taking the arguments after `model-canary` (the command first), resolving to an exit code. */
export interface PackageCli {
  run(argv: string[]): Promise<number>;
}

export function isDelegated(command: string): command is DelegatedCommand {
  return Object.hasOwn(DELEGATED_COMMANDS, command);
}

/**
 * Loads `<package>/cli` from beside this package (npm's flat and global installs) or else from the working
 * directory's project (pnpm's strict layout, where only the project sees its own dependencies).
 * Resolves to null when neither has the package.
 */
export async function loadPackageCli(pkg: string): Promise<PackageCli | null> {
  for (const from of [import.meta.url, pathToFileURL(join(process.cwd(), 'package.json')).href]) {
    let file: string;
    try {
      file = createRequire(from).resolve(`${pkg}/cli`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') continue;
      throw error;
    }
    return (await import(pathToFileURL(file).href)) as PackageCli;
  }
  return null;
}
