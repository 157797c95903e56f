import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listMigrations } from "../../local/db/migrations";
import { openEmbeddedDatabase } from "../../local/db/open-embedded-database";
import { splitSqlStatements } from "../../local/db/split-sql-statements";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the embedded database", () => {
  it("keeps its data across a restart and seeds only once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "stepwise-db-"));
    dirs.push(dir);
    const first = await openEmbeddedDatabase({ dataDir: dir });
    await first.exec(
      "update inventory set on_hand = 7 where product_id = (select id from products where slug = 'brass-pen')",
    );
    await first.close();

    const second = await openEmbeddedDatabase({ dataDir: dir });
    const products = await second.query<{ n: number }>("select count(*)::int as n from products");
    const pen = await second.query<{ on_hand: number }>(
      "select on_hand from inventory join products on id = product_id where slug = 'brass-pen'",
    );
    await second.close();
    expect(products.rows[0]!.n).toBe(5);
    expect(pen.rows[0]!.on_hand).toBe(7);
  });

  it("records every migration the way the supabase CLI does", async () => {
    const db = await openEmbeddedDatabase();
    const { rows } = await db.query<{ version: string; name: string; statements: string[] }>(
      "select version, name, statements from supabase_migrations.schema_migrations order by version",
    );
    await db.close();
    const files = await listMigrations();
    expect(rows.map((r) => `${r.version}_${r.name}.sql`)).toEqual(files.map((f) => path.basename(f.file)));
    expect(rows.every((r) => r.statements.length > 0)).toBe(true);
  });
});

describe("splitting migrations into statements", () => {
  it("splits on top-level semicolons only", () => {
    const script = `create table a (x text default ';'); -- a comment; still a comment
create function f() returns int language sql as $$ select 1; $$;
/* block; comment */ select "odd;name" from a;`;
    expect(splitSqlStatements(script)).toEqual([
      "create table a (x text default ';')",
      "-- a comment; still a comment\ncreate function f() returns int language sql as $$ select 1; $$",
      '/* block; comment */ select "odd;name" from a',
    ]);
  });
});
