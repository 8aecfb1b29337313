import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { httpDrain, Lifecycle } from '../../src/lifecycle.js';

const never = () => new Promise<void>(() => undefined);

describe('Lifecycle', () => {
  test('drains everything at once, then closes resources newest first', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle();
    const slowly = (name: string, ms: number) => ({
      name,
      stop: () => new Promise<void>((resolve) => setTimeout(() => (events.push(`drained ${name}`), resolve()), ms)),
    });
    lifecycle.drain(slowly('http', 60));
    lifecycle.drain(slowly('worker', 20));
    lifecycle.closeAfterDrains({ name: 'database', close: async () => void events.push('closed database') });
    lifecycle.closeAfterDrains({ name: 'redis', close: async () => void events.push('closed redis') });
    expect(lifecycle.isStopping).toBe(false);
    const result = await lifecycle.shutdown(5_000);
    expect(lifecycle.isStopping).toBe(true);
    expect(result).toEqual({ clean: true, unfinished: [], failures: [] });
    expect(events).toEqual(['drained worker', 'drained http', 'closed redis', 'closed database']);
  });

  test('past the grace period it aborts what is left, still closes the database, and reports it unclean', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle();
    lifecycle.drain({ name: 'job worker', stop: never, abort: () => void events.push('aborted job worker') });
    lifecycle.drain({ name: 'http', stop: async () => void events.push('drained http') });
    lifecycle.closeAfterDrains({ name: 'database', close: async () => void events.push('closed database') });
    const started = Date.now();
    const result = await lifecycle.shutdown(150);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.clean).toBe(false);
    expect(result.unfinished).toEqual(['job worker']);
    expect(events).toEqual(['drained http', 'aborted job worker', 'closed database']);
  });

  test('a second stop request hurries the first instead of starting another', async () => {
    const lifecycle = new Lifecycle();
    let aborted = 0;
    lifecycle.drain({ name: 'stuck', stop: never, abort: () => void aborted++ });
    const first = lifecycle.shutdown(60_000);
    const second = lifecycle.shutdown(60_000);
    expect(await first).toEqual(await second);
    expect((await first).unfinished).toEqual(['stuck']);
    expect(aborted).toBe(1);
  });

  test('a failing close is reported and the others still run', async () => {
    const lifecycle = new Lifecycle();
    let closedDb = false;
    lifecycle.closeAfterDrains({ name: 'database', close: async () => void (closedDb = true) });
    lifecycle.closeAfterDrains({ name: 'redis', close: () => Promise.reject(new Error('boom')) });
    const result = await lifecycle.shutdown(1_000);
    expect(result.clean).toBe(false);
    expect(result.failures.map((f) => f.name)).toEqual(['redis']);
    expect(closedDb).toBe(true);
  });
});

describe('httpDrain', () => {
  test('finishes the request in flight with Connection: close and refuses new connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((_request, response) => {
      void gate.then(() => response.end('done'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const drain = httpDrain(server);

    const inFlight = new Promise<IncomingMessage & { body: string }>((resolve, reject) => {
      const request = httpRequest({ port, host: '127.0.0.1', path: '/', agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(Object.assign(response, { body })));
      });
      request.on('error', reject);
      request.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the request has reached the server
    let stopped = false;
    const stopping = drain.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect(stopped).toBe(false);

    release();
    const response = await inFlight;
    expect([response.statusCode, response.body, response.headers.connection]).toEqual([200, 'done', 'close']);
    await stopping;
    expect(stopped).toBe(true);
  });
});
