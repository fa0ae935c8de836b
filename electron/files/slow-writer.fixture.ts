// Child process for atomic-json.test.ts: writes a huge file slowly through writeFileAtomic so the
// test can kill it (SIGKILL) mid-write. Prints "writing" once the temporary file has data.
import { writeFileAtomic } from './atomic-json';

const target = process.argv[2];
if (!target) throw new Error('usage: slow-writer <file>');

async function* chunks(): AsyncGenerator<string> {
  yield '{"schemaVersion":1,"data":{"big":"';
  const block = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 100_000; i++) {
    yield block;
    if (i === 4) process.stdout.write('writing\n');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  yield '"}}';
}

await writeFileAtomic(target, chunks());
process.stdout.write('done\n');
