// Entry point of the `ferry` command line, bundled into out/cli/ferry.mjs by scripts/build-cli.mjs.
import { ExitCode } from './exit-codes';
import { runCli } from './run';

process.setSourceMapsEnabled(true);

const interrupt = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C cancels the transfer (ABOR) and exits cleanly; a second one exits at once.
  if (interrupted) process.exit(ExitCode.interrupted);
  interrupted = true;
  interrupt.abort();
});

function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
}

const code = await runCli(
  process.argv.slice(2),
  {
    writeStdout: (text) => write(process.stdout, text),
    writeStderr: (text) => write(process.stderr, text),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  },
  interrupt.signal,
);

// Exit once stdout has been handed to the OS (pipes can be asynchronous), without waiting for
// anything the engine might still hold open.
process.stdout.write('', () => process.exit(code));
