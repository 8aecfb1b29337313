import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stdout / stderr (pino lines, crash traces). */
  output: () => string;
  /** Null while it runs. */
  exitCode: () => number | null | 'signal';
  stop(): Promise<void>;
}

/**
 * The real entry point (src/server.ts) in a child process on a free loopback port: a crash
 * (an unhandled 'error' event) ends the process, which an in-process app could hide.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: number | null | 'signal' = null;
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  child.on('exit', (code) => (exit = code ?? 'signal'));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = () => {
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/graphql/.exec(output);
      if (match && Number(match[1]) > 0) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}/graphql`);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', () => reject(new Error(`server exited during start:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    exitCode: () => exit,
    async stop() {
      if (exit !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
