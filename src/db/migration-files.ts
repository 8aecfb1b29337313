/**
 * Migration files on disk: prisma/migrations/NNN_name/migration.sql (up) and down.sql (rollback),
 * read in name order with Prisma's checksum; and the error every migration failure is reported as.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const defaultMigrationsDir: string = path.join(projectRoot, 'prisma', 'migrations');

export interface MigrationFile {
  name: string;
  upSql: string;
  downSql: string | null;
  /** sha256 hex of migration.sql's bytes, as Prisma computes it. */
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
  /** The migration concerned ('' when the problem is the folder itself). */
  readonly migration: string;
  /** The file concerned, relative to the project when it lies inside it. */
  readonly file: string;
  /** The statement that failed, when one did. */
  readonly statement?: string;
  /** 1-based line in `file` where the failing statement (or the error position in it) is. */
  readonly line?: number;

  constructor(
    message: string,
    details: { migration: string; file: string; statement?: string; line?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.migration = details.migration;
    this.file = details.file;
    if (details.statement !== undefined) this.statement = details.statement;
    if (details.line !== undefined) this.line = details.line;
  }
}


export interface MigrationSource extends MigrationFile {
  upFile: string;
  downFile: string;
}

/** The migration folders of `dir`, sorted by name; plain files (migration_lock.toml) are ignored. */
export async function loadMigrations(dir: string = defaultMigrationsDir): Promise<MigrationFile[]> {
  const sources = await loadSources(dir);
  return sources.map(({ name, upSql, downSql, checksum }) => ({ name, upSql, downSql, checksum }));
}

export async function loadSources(dir: string): Promise<MigrationSource[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MigrationError(`The migrations folder ${displayPath(dir)} does not exist`, {
        migration: '',
        file: displayPath(dir),
        cause: error,
      });
    }
    throw error;
  }
  const names = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort(compareNames);

  return Promise.all(
    names.map(async (name) => {
      const upFile = path.join(dir, name, 'migration.sql');
      const downFile = path.join(dir, name, 'down.sql');
      const upBytes = await readOptional(upFile);
      if (upBytes === null) {
        throw new MigrationError(`Migration ${name} has no migration.sql (expected ${displayPath(upFile)})`, {
          migration: name,
          file: displayPath(upFile),
        });
      }
      const downBytes = await readOptional(downFile);
      return {
        name,
        upSql: decode(upBytes),
        downSql: downBytes === null ? null : decode(downBytes),
        checksum: sha256(upBytes),
        upFile,
        downFile,
      };
    }),
  );
}

async function readOptional(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function decode(bytes: Buffer): string {
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Prisma accepts a script whose line endings were converted (git autocrlf); so do we. */
export function matchesChecksum(source: MigrationSource, checksum: string): boolean {
  if (source.checksum === checksum) return true;
  const lf = source.upSql.replace(/\r\n/g, '\n');
  return sha256(lf) === checksum || sha256(lf.replace(/\n/g, '\r\n')) === checksum;
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function displayPath(file: string): string {
  const relative = path.relative(projectRoot, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}
