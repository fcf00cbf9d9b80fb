/**
 * A small Node program for the power-loss tests: it runs (as an ES module) with the given
 * environment, says `ready` on stdout once it has done its work, and is then killed with
 * SIGKILL — no exit handlers, no close, as in a crash. Lines it printed before are returned.
 */
import { spawn } from 'node:child_process';

export async function runThenKill(source: string, env: Record<string, string>, timeoutMs = 20_000): Promise<string[]> {
  const program = `${source}\nconsole.log('ready');\nsetInterval(() => {}, 1000);\n`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + timeoutMs;
  while (!stdout.split('\n').includes('ready')) {
    const done = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 20))]);
    if (done) throw new Error(`the program exited (code ${done.code}, signal ${done.signal}) before it was ready:\n${stdout}\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`the program was not ready within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
    }
  }
  child.kill('SIGKILL');
  const status = await exited;
  if (status.signal !== 'SIGKILL') throw new Error(`the program ended by itself (code ${status.code}) instead of being killed:\n${stderr}`);
  return stdout.split('\n').filter((line) => line && line !== 'ready');
}
