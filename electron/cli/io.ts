/** What the command line touches of its process, injectable for tests. */
export interface CliIo {
  writeStdout(text: string): void;
  writeStderr(text: string): void;
  /** Progress lines are drawn only on a terminal. */
  stderrIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}
