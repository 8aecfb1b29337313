/**
 * Splitting a migration file into statements (quotes, comments and dollar-quoted bodies respected),
 * so a failure names its statement and transaction control inside a file is refused.
 */

export interface SqlStatement {
  /** The statement without its terminating semicolon, starting at its first token. */
  text: string;
  /** 1-based line of the file where the statement starts. */
  line: number;
}

/**
 * Splits a script into statements at top-level semicolons, skipping those inside '…' / E'…'
 * strings, "…" identifiers, $$…$$ / $tag$…$tag$ bodies, -- comments and (nested) block comments.
 * Chunks holding only comments are dropped.
 */
export function splitSqlStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = -1;
  let end = -1; // just past the statement's last token, so trailing comments are left out
  let line = 1;
  let startLine = 1;
  let i = 0;
  const n = sql.length;

  const markStart = () => {
    if (start < 0) {
      start = i;
      startLine = line;
    }
  };
  const advanceTo = (to: number) => {
    for (let k = i; k < to && k < n; k++) if (sql.charCodeAt(k) === 10) line++;
    i = Math.min(to, n);
  };
  const advanceTokenTo = (to: number) => {
    advanceTo(to);
    end = i;
  };

  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      advanceTo(eol < 0 ? n : eol);
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      let k = i + 2;
      while (k < n && depth > 0) {
        if (sql[k] === '/' && sql[k + 1] === '*') {
          depth++;
          k += 2;
        } else if (sql[k] === '*' && sql[k + 1] === '/') {
          depth--;
          k += 2;
        } else k++;
      }
      advanceTo(k);
    } else if (ch === "'") {
      markStart();
      const escapes = /[eE]/.test(sql[i - 1] ?? '') && !/[\w$]/.test(sql[i - 2] ?? '');
      let k = i + 1;
      while (k < n) {
        if (escapes && sql[k] === '\\') k += 2;
        else if (sql[k] === "'") {
          if (sql[k + 1] === "'") k += 2;
          else break;
        } else k++;
      }
      advanceTokenTo(k + 1);
    } else if (ch === '"') {
      markStart();
      let k = i + 1;
      while (k < n) {
        if (sql[k] === '"') {
          if (sql[k + 1] === '"') k += 2;
          else break;
        } else k++;
      }
      advanceTokenTo(k + 1);
    } else if (ch === '$' && !/[\w$]/.test(sql[i - 1] ?? '') && dollarTagAt(sql, i)) {
      markStart();
      const tag = dollarTagAt(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      advanceTokenTo(close < 0 ? n : close + tag.length);
    } else if (ch === ';') {
      if (start >= 0) statements.push({ text: sql.slice(start, end), line: startLine });
      start = -1;
      i++;
    } else {
      if (ch === '\n') line++;
      i++;
      if (!/\s/.test(ch)) {
        if (start < 0) {
          start = i - 1;
          startLine = line;
        }
        end = i;
      }
    }
  }
  if (start >= 0) statements.push({ text: sql.slice(start, end), line: startLine });
  return statements;
}

function dollarTagAt(sql: string, i: number): string | null {
  const match = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
  return match ? match[0] : null;
}

export const TRANSACTION_CONTROL = /^(begin|commit|rollback|abort|end|start\s+transaction)\b(?!\s+atomic)/i;
