/** What a command may print: lines to stdout or stderr, and a usage error (returns exit code 2). */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  usage(message: string): number;
}
