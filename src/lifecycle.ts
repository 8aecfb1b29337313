import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { withTimeout } from './time-limit.js';

/**
 * Something that must finish its work before the process lets go of the database: the HTTP
 * server (requests in flight), an inline job worker (the job in hand). `stop` resolves once the
 * work is done; `abort`, if given, ends whatever is left when the grace period runs out.
 */
export interface Drainable {
  name: string;
  stop(): Promise<void>;
  abort?(): void;
}

/** A resource closed after every drain has finished or been aborted (database, Redis, listeners). */
export interface Closable {
  name: string;
  close(): Promise<void>;
}

export interface ShutdownResult {
  /** Everything drained within the grace period and every resource closed without error. */
  clean: boolean;
  /** Drains that were still running when the grace period ended (and were aborted). */
  unfinished: string[];
  failures: { name: string; error: unknown }[];
}

/** A resource that does not close in this time is left to the process exit. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * The stop sequence of a process: drains first (all at once, within the grace period), then the
 * resources in reverse order of registration, so the database registered first closes last.
 * The server registers its HTTP listener; an inline job worker registers itself the same way
 * (`lifecycle.drain({ name: 'job worker', stop: () => worker.stop() })`).
 */
export class Lifecycle {
  private readonly drains: Drainable[] = [];
  private readonly resources: Closable[] = [];
  private stopping: Promise<ShutdownResult> | undefined;
  private hurry: (() => void) | undefined;

  /** True from the first stop request on: readiness answers 503 from then. */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  drain(item: Drainable): void {
    this.drains.push(item);
  }

  closeAfterDrains(item: Closable): void {
    this.resources.push(item);
  }

  /** Starts the stop (once; later calls return the same result) or, if already stopping, hurries it. */
  shutdown(graceMs: number): Promise<ShutdownResult> {
    if (this.stopping) {
      this.hurry?.();
      return this.stopping;
    }
    this.stopping = this.run(graceMs);
    return this.stopping;
  }

  private async run(graceMs: number): Promise<ShutdownResult> {
    const failures: ShutdownResult['failures'] = [];
    const pending = new Set(this.drains.map((d) => d.name));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      this.hurry = resolve;
      timer = setTimeout(resolve, graceMs);
    });
    const drained = Promise.all(
      this.drains.map((item) =>
        item.stop().then(
          () => void pending.delete(item.name),
          (error: unknown) => {
            pending.delete(item.name);
            failures.push({ name: item.name, error });
          },
        ),
      ),
    );
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    const unfinished = [...pending];
    for (const item of this.drains) if (pending.has(item.name)) item.abort?.();

    for (const item of [...this.resources].reverse()) {
      try {
        await withTimeout(item.close(), CLOSE_TIMEOUT_MS, `${item.name} did not close within ${CLOSE_TIMEOUT_MS} ms`);
      } catch (error) {
        failures.push({ name: item.name, error });
      }
    }
    return { clean: unfinished.length === 0 && failures.length === 0, unfinished, failures };
  }
}

/** How long a keep-alive connection that was idle when the stop began may still send a request. */
const IDLE_WINDOW_MS = 500;

/**
 * The drain of an HTTP server. Stopping closes the listening socket at once (new connections are
 * refused) but, unlike `server.close()` (which since Node 19 also destroys idle keep-alive
 * connections on the spot), it leaves open connections alone for a moment: a request a client
 * has already written to an idle keep-alive socket is still read and answered. Every response from
 * then on carries `Connection: close`, so each connection ends after its current request; after
 * the idle window the connections still idle are closed. Aborting destroys what is left.
 */
export function httpDrain(server: Server, name = 'http server'): Drainable {
  let closing = false;
  server.prependListener('request', (_request, response) => {
    if (closing) response.setHeader('connection', 'close');
  });
  return {
    name,
    stop() {
      closing = true;
      const closed = new Promise<void>((resolve, reject) => {
        // net.Server's close: stop listening, call back when the last connection has ended.
        NetServer.prototype.close.call(server, (error?: Error) => (error ? reject(error) : resolve()));
      });
      let sweeper: NodeJS.Timeout | undefined;
      const window = setTimeout(() => {
        server.closeIdleConnections();
        sweeper = setInterval(() => server.closeIdleConnections(), 100);
      }, IDLE_WINDOW_MS);
      return closed.finally(() => {
        clearTimeout(window);
        clearInterval(sweeper);
      });
    },
    abort() {
      server.closeAllConnections();
    },
  };
}
