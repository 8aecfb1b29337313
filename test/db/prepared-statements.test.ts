import { describe, expect, test } from 'vitest';
import { loadConfig, type DatabaseConfig } from '../../src/config.js';
import { attachPrisma } from '../../src/db/client.js';
import { PreparedStatementNames } from '../../src/db/prepared-statements.js';
import { sql } from '../support/catalog.js';
import { createTestDatabase, testDatabaseUrl } from '../support/databases.js';

describe('prepared statement names', () => {
  test('one stable name per text, different texts never share one, and none past the bound', () => {
    const names = new PreparedStatementNames(2);
    const a = names.nameFor('SELECT 1');
    const b = names.nameFor('SELECT 2');
    expect(a).toMatch(/^lh_[0-9a-f]{24}$/);
    expect(b).not.toBe(a);
    expect(names.nameFor('SELECT 1')).toBe(a);
    expect(names.nameFor('SELECT 3')).toBeUndefined();
    expect(names.nameFor('SELECT 2')).toBe(b);
    // Another user of the same pool names the same text the same way.
    expect(new PreparedStatementNames().nameFor('SELECT 2')).toBe(b);
  });

  test('a bound of 0 (DATABASE_PREPARED_STATEMENTS=false) names nothing', () => {
    expect(new PreparedStatementNames(0).nameFor('SELECT 1')).toBeUndefined();
  });
});

describe('DATABASE_PREPARED_STATEMENTS', () => {
  test('defaults to true and false turns it off', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x' }).database).toMatchObject({ kind: 'postgres', preparedStatements: true });
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x', DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({ preparedStatements: false });
  });
});

describe.skipIf(!testDatabaseUrl)('readRows on PostgreSQL (postgres)', () => {
  test.each([true, false])('preparedStatements %s: the connection keeps the statement prepared, or not', async (prepared) => {
    const db = await createTestDatabase('postgres', { poolSize: 1 });
    try {
      const database = await attachPrisma({ ...(db.config as Extract<DatabaseConfig, { kind: 'postgres' }>), preparedStatements: prepared }, db.driver);
      const text = 'SELECT $1::int + 1 AS n';
      expect(await database.readRows(text, [1])).toEqual([{ n: 2 }]);
      expect(await database.readRows(text, [41])).toEqual([{ n: 42 }]);
      // One connection in the pool: this session is the one that ran the reads.
      const held = await sql(db.driver, `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1`, [text]);
      expect(held).toEqual([{ n: prepared ? 1 : 0 }]);
      await database.prisma.$disconnect();
    } finally {
      await db.drop();
    }
  });
});
