import pino, { type Logger } from 'pino';
import type { AppConfig } from './config.js';

/**
 * Paths that may carry a secret if something ever logs a request, a config or an error object:
 * they print as "[redacted]". The operation log itself never logs variables at all.
 */
const REDACT = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'variables',
  '*.variables',
];

/**
 * The service's one logger: JSON lines for machines, pino-pretty when a person watches a terminal.
 * pino-pretty runs in pino's transport worker, so formatting never blocks a request.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: REDACT, censor: '[redacted]' },
    ...(config.logFormat === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}
