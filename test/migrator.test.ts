import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeStartupError, main } from '../src/db/cli.js';
import {
  defaultMigrationsDir,
  loadMigrations,
  migrate,
  MigrationError,
  rollback,
  status,
} from '../src/db/migrator.js';
import { splitSqlStatements } from '../src/db/sql-statements.js';
import { PostgresDriver } from '../src/db/sql.js';
import { backends, createTestDatabase, type TestDatabase } from './support/databases.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures');
const basic = path.join(fixtures, 'migrations-basic');
const failing = path.join(fixtures, 'migrations-failing');
const noDown = path.join(fixtures, 'migrations-no-down');
const BASIC = ['001_create_widgets', '002_create_gadgets', '003_widget_functions'];

const tempDirs: string[] = [];
async function copyOf(dir: string): Promise<string> {
  const target = await mkdtemp(path.join(os.tmpdir(), 'lh-migrations-'));
  tempDirs.push(target);
  await cp(dir, target, { recursive: true });
  return target;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function caught(promise: Promise<unknown>): Promise<MigrationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MigrationError);
    return error as MigrationError;
  }
  throw new Error('expected a MigrationError, but the call succeeded');
}

describe('loadMigrations', () => {
  it('reads the folders in name order, ignores plain files, and checksums migration.sql as Prisma does', async () => {
    const migrations = await loadMigrations(basic);
    expect(migrations.map((m) => m.name)).toEqual(BASIC);
    const bytes = await readFile(path.join(basic, '001_create_widgets', 'migration.sql'));
    expect(migrations[0]!.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(migrations[0]!.upSql).toContain('CREATE TABLE widgets');
    expect(migrations[0]!.downSql).toContain('DROP TABLE widgets');
    const withoutDown = await loadMigrations(noDown);
    expect(withoutDown[1]!.downSql).toBeNull();
  });

  it('defaults to prisma/migrations of the project', () => {
    expect(defaultMigrationsDir).toBe(path.join(root, 'prisma', 'migrations'));
  });

  it('refuses a folder without migration.sql and a missing migrations folder', async () => {
    const dir = await copyOf(basic);
    await mkdir(path.join(dir, '004_empty'));
    expect((await caught(loadMigrations(dir))).migration).toBe('004_empty');
    expect((await caught(loadMigrations(path.join(dir, 'nope')))).message).toMatch(/does not exist/);
  });
});

describe('splitSqlStatements', () => {
  it('splits at top-level semicolons only', () => {
    const sql = [
      "-- header; comment",
      "CREATE TABLE a (x text DEFAULT 'a;b', \"we\"\"ird;\" int); /* block ; /* nested ; */ still */",
      "INSERT INTO a VALUES (E'it\\'s; ok', 1), ('it''s; ok', 2);",
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;',
      'CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $body$ BEGIN RETURN $$x;$$; END $body$;',
      'SELECT 1',
      '-- trailing; comment',
    ].join('\n');
    const statements = splitSqlStatements(sql);
    expect(statements.map((s) => s.line)).toEqual([2, 3, 4, 5, 6]);
    expect(statements.map((s) => s.text)).toEqual([
      "CREATE TABLE a (x text DEFAULT 'a;b', \"we\"\"ird;\" int)",
      "INSERT INTO a VALUES (E'it\\'s; ok', 1), ('it''s; ok', 2)",
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$',
      'CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $body$ BEGIN RETURN $$x;$$; END $body$',
      'SELECT 1',
    ]);
  });

  it('returns nothing for a script of comments', () => {
    expect(splitSqlStatements('-- only; a comment\n/* and; this */\n;\n')).toEqual([]);
  });
});

describe.each(backends)('migration runner on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.driver.withSession((s) => s.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
  });

  const sql = <Row = Record<string, unknown>>(text: string, params?: unknown[]) =>
    db.driver.withSession((s) => s.query<Row>(text, params)).then((r) => r.rows);
  const tables = async () =>
    (await sql<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map(
      (r) => r.table_name,
    );
  const recorded = async () =>
    (await sql<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).map((r) => r.migration_name);

  it('applies the migrations in order, records them as Prisma does, and applies nothing the second time', async () => {
    const lines: string[] = [];
    const result = await migrate(db.driver, { dir: basic, log: (line) => lines.push(line) });
    expect(result.applied).toEqual(BASIC);
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^applied ${BASIC[i]} \\(\\d+ ms\\)$`)));

    expect(await tables()).toEqual(['_prisma_migrations', 'gadgets', 'widgets']);
    expect(await sql(`SELECT widget_count() AS n, widget_greeting() AS g`)).toEqual([{ n: expect.anything(), g: 'hello; semi;colon' }]);
    expect(await sql(`SELECT label FROM widgets ORDER BY id`)).toEqual([{ label: "it's; fine" }, { label: "it's; fine too" }]);

    const columns = await sql(
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
    ]);
    const primaryKey = await sql(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = '_prisma_migrations'::regclass AND i.indisprimary`,
    );
    expect(primaryKey).toEqual([{ attname: 'id' }]);

    const files = await loadMigrations(basic);
    const rows = await sql<Record<string, unknown>>('SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      expect(row.migration_name).toBe(BASIC[i]);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.checksum).toBe(files[i]!.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.started_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    });

    expect(await migrate(db.driver, { dir: basic })).toEqual({ applied: [] });
    expect(await recorded()).toEqual(BASIC);
    const states = await status(db.driver, { dir: basic });
    expect(states.map((s) => [s.name, s.state])).toEqual(BASIC.map((name) => [name, 'applied']));
    expect(states.every((s) => s.appliedAt instanceof Date)).toBe(true);
  });

  it('applies up to a target given by prefix', async () => {
    expect(await status(db.driver, { dir: basic })).toEqual(BASIC.map((name) => ({ name, state: 'pending' })));
    expect((await migrate(db.driver, { dir: basic, to: '002' })).applied).toEqual(BASIC.slice(0, 2));
    expect((await status(db.driver, { dir: basic })).map((s) => s.state)).toEqual(['applied', 'applied', 'pending']);
    expect((await caught(migrate(db.driver, { dir: basic, to: '9' }))).message).toMatch(/matches no migration/);
  });

  it('refuses to continue when an applied migration was changed, naming it', async () => {
    const dir = await copyOf(basic);
    await migrate(db.driver, { dir, to: '002' });
    await appendFile(path.join(dir, '002_create_gadgets', 'migration.sql'), '\nCREATE TABLE sneaky (id int);\n');

    const error = await caught(migrate(db.driver, { dir }));
    expect(error.migration).toBe('002_create_gadgets');
    expect(error.message).toMatch(/002_create_gadgets was changed after it was applied/);
    expect(await recorded()).toEqual(BASIC.slice(0, 2)); // 003 was not applied either
    expect((await status(db.driver, { dir })).map((s) => s.state)).toEqual(['applied', 'changed', 'pending']);
  });

  it('reports an applied migration whose folder is gone, and refuses to migrate past it', async () => {
    const dir = await copyOf(basic);
    await migrate(db.driver, { dir, to: '002' });
    await rm(path.join(dir, '002_create_gadgets'), { recursive: true });
    expect((await status(db.driver, { dir })).map((s) => [s.name, s.state])).toEqual([
      ['001_create_widgets', 'applied'],
      ['002_create_gadgets', 'missing-file'],
      ['003_widget_functions', 'pending'],
    ]);
    expect((await caught(migrate(db.driver, { dir }))).message).toMatch(/002_create_gadgets is applied .* folder is missing/);
  });

  it('leaves nothing of a migration that fails midway, and names its file and statement', async () => {
    const error = await caught(migrate(db.driver, { dir: failing }));
    expect(error.migration).toBe('002_broken');
    expect(error.file).toBe('test/fixtures/migrations-failing/002_broken/migration.sql');
    expect(error.statement).toBe('INSERT INTO no_such_table (id) VALUES (1)');
    expect(error.line).toBe(3);
    expect(error.message).toContain('test/fixtures/migrations-failing/002_broken/migration.sql');
    expect(error.message).toContain('INSERT INTO no_such_table (id) VALUES (1)');
    expect(error.message).toMatch(/no_such_table" does not exist/);

    expect(await tables()).toEqual(['_prisma_migrations', 'widgets']); // no half_done
    expect(await recorded()).toEqual(['001_create_widgets']);
    // The lock was released: the next run proceeds (and fails the same way).
    expect((await caught(migrate(db.driver, { dir: failing }))).migration).toBe('002_broken');
  });

  it('refuses a migration that manages its own transaction before running anything', async () => {
    const dir = await copyOf(basic);
    await writeFile(path.join(dir, '003_widget_functions', 'migration.sql'), 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n');
    const error = await caught(migrate(db.driver, { dir }));
    expect(error.migration).toBe('003_widget_functions');
    expect(error.message).toMatch(/must not manage transactions/);
    expect(await recorded()).toEqual([]);
  });

  it('rolls back one step, several steps, newest first, and the rolled-back ones are pending again', async () => {
    await migrate(db.driver, { dir: basic });
    const lines: string[] = [];
    expect(await rollback(db.driver, { dir: basic, log: (line) => lines.push(line) })).toEqual({ rolledBack: ['003_widget_functions'] });
    expect(lines).toEqual([expect.stringMatching(/^rolled back 003_widget_functions \(\d+ ms\)$/)]);
    expect(await sql(`SELECT to_regprocedure('widget_count()') AS f`)).toEqual([{ f: null }]);
    expect(await recorded()).toEqual(BASIC.slice(0, 2));
    expect((await status(db.driver, { dir: basic })).map((s) => s.state)).toEqual(['applied', 'applied', 'pending']);

    expect((await rollback(db.driver, { dir: basic, steps: 2 })).rolledBack).toEqual(['002_create_gadgets', '001_create_widgets']);
    expect(await tables()).toEqual(['_prisma_migrations']);
    expect(await recorded()).toEqual([]);
    expect(await rollback(db.driver, { dir: basic })).toEqual({ rolledBack: [] });

    expect((await migrate(db.driver, { dir: basic })).applied).toEqual(BASIC);
  });

  it('rolls back to a target: every migration after it, newest first', async () => {
    await migrate(db.driver, { dir: basic });
    expect((await rollback(db.driver, { dir: basic, to: '001' })).rolledBack).toEqual(['003_widget_functions', '002_create_gadgets']);
    expect(await tables()).toEqual(['_prisma_migrations', 'widgets']);
    expect(await recorded()).toEqual(['001_create_widgets']);
    expect((await migrate(db.driver, { dir: basic })).applied).toEqual(BASIC.slice(1));
    await expect(rollback(db.driver, { dir: basic, to: '001', steps: 1 })).rejects.toThrow(/not both/);
  });

  it('refuses a rollback whose down.sql is missing, before touching anything', async () => {
    await migrate(db.driver, { dir: noDown });
    const error = await caught(rollback(db.driver, { dir: noDown }));
    expect(error.migration).toBe('002_create_gadgets');
    expect(error.file).toBe('test/fixtures/migrations-no-down/002_create_gadgets/down.sql');

    // The missing file belongs to the oldest of three: the two newer ones must stay applied.
    await db.driver.withSession((s) => s.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
    const dir = await copyOf(basic);
    await rm(path.join(dir, '001_create_widgets', 'down.sql'));
    await migrate(db.driver, { dir });
    expect((await caught(rollback(db.driver, { dir, steps: 3 }))).migration).toBe('001_create_widgets');
    expect(await recorded()).toEqual(BASIC);
    expect(await tables()).toEqual(['_prisma_migrations', 'gadgets', 'widgets']);
    expect(await sql(`SELECT widget_count()::int AS n`)).toEqual([{ n: 2 }]);
  });

  it.runIf(kind === 'postgres')('two runners started at once apply each migration exactly once', async () => {
    const url = (db.config as { url: string }).url;
    const first = PostgresDriver.fromUrl(url, 2);
    const second = PostgresDriver.fromUrl(url, 2);
    try {
      const results = await Promise.all([migrate(first, { dir: basic }), migrate(second, { dir: basic })]);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(BASIC);
      expect(await recorded()).toEqual(BASIC);

      // A failed run releases the lock on its pooled connection: another runner is not blocked.
      await db.driver.withSession((s) => s.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
      await caught(migrate(first, { dir: failing }));
      await caught(migrate(second, { dir: failing }));
      expect(await recorded()).toEqual(['001_create_widgets']);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('db cli', () => {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const runCli = (args: string[], env: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const fullEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
      for (const [key, value] of Object.entries(env)) if (value === undefined) delete fullEnv[key];
      execFile(tsx, ['src/db/cli.ts', ...args], { cwd: root, env: fullEnv, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      });
    });
  const stackTrace = /\n\s+at\s/;

  let errors: string[];
  beforeEach(() => {
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers an unknown command or flag with the usage line and exit code 2', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(await main(['rollback', '--force'])).toBe(2);
    expect(await main(['rollback', '--steps', 'many'])).toBe(2);
    expect(await main(['seed', '--listings', '-3'])).toBe(2);
    expect(await main([])).toBe(2);
    expect(errors).toHaveLength(5);
    for (const line of errors) {
      expect(line).toMatch(/^error: .*usage: npm run db:<command>/);
      expect(line).not.toContain('\n');
    }
  });

  it('describes startup failures in one line, and leaves bugs alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(describeStartupError(refused)).toBe('Cannot reach the database: connect ECONNREFUSED 127.0.0.1:5432');
    expect(describeStartupError(new AggregateError([refused], ''))).toMatch(/ECONNREFUSED/);
    expect(describeStartupError(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toMatch(/refused the connection/);
    expect(describeStartupError(new Error('Connection terminated unexpectedly'))).toMatch(/Lost the connection/);
    expect(describeStartupError(new TypeError('x is undefined'))).toBeUndefined();
    const taken = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 4000 });
    expect(describeStartupError(taken)).toBe('Cannot listen on 127.0.0.1:4000: the port is in use (set PORT, or METRICS_PORT for the metrics listener)');
  });

  describe.concurrent('spawned', () => {
    it('names DATABASE_URL when it is malformed, without a stack trace', async () => {
      const result = await runCli(['status'], { DATABASE_URL: 'not-a-url' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('DATABASE_URL');
      expect(result.stderr).not.toMatch(stackTrace);
    });

    it('says in one line that PostgreSQL is unreachable', async () => {
      const result = await runCli(['status'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/127\.0\.0\.1:1\/x.*ECONNREFUSED/);
    });

    it('names the folder of a corrupt PGlite data directory', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lh-pglite-corrupt-'));
      tempDirs.push(dir);
      await writeFile(path.join(dir, 'PG_VERSION'), 'garbage\n');
      const result = await runCli(['status'], { DATABASE_URL: undefined, PGLITE_DATA_DIR: dir });
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(dir);
    });
  });
});
