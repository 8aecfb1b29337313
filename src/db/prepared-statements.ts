import { createHash } from 'node:crypto';

/**
 * Names for the statements the service prepares on its PostgreSQL connections. pg prepares a named
 * statement once per connection and reuses it; PostgreSQL keeps each one in every connection that
 * ran it until the connection closes, so the number of distinct texts given a name is bounded: once
 * `max` texts have names, further ones run unnamed (parsed and planned every time). A name is a
 * hash of the text, so two users of one pool can never give one name to two texts.
 */
export const MAX_PREPARED_STATEMENTS = 200;

export class PreparedStatementNames {
  private readonly names = new Map<string, string>();

  /** `max` 0 names nothing (DATABASE_PREPARED_STATEMENTS=false). */
  constructor(private readonly max = MAX_PREPARED_STATEMENTS) {}

  /** The name `text` is prepared under, or undefined once the bound is reached. */
  nameFor(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.max) {
      name = `lh_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      this.names.set(text, name);
    }
    return name;
  }
}
