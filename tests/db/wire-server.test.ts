import { exec } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";

let database: TestDatabase;
let first: postgres.Sql;
let second: postgres.Sql;

beforeAll(async () => {
  database = await startTestDatabase();
  first = postgres(database.url, { prepare: false, max: 4, onnotice: () => {} });
  second = postgres(database.url, { prepare: false, max: 4, onnotice: () => {} });
});

afterAll(async () => {
  await first.end();
  await second.end();
  await database.stop();
});

describe("the embedded database's wire server", () => {
  it("keeps concurrent clients' parameterised queries apart", async () => {
    const results = await Promise.all(
      Array.from(
        { length: 300 },
        (_, i) => (i % 2 ? first : second)`select ${i}::int as n, ${`text ${i}`}::text as label`,
      ),
    );
    expect(results.map(([row]) => row!.n)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(results.every(([row], i) => row!.label === `text ${i}`)).toBe(true);
  });

  it("runs one client's transaction to the end before another client's statement", async () => {
    await first`create table if not exists wire_probe (n int)`;
    const writer = first.begin(async (tx) => {
      await tx`insert into wire_probe values (1)`;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await tx`insert into wire_probe values (2)`;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [seen] = await second`select count(*)::int as n from wire_probe`;
    await writer;
    expect(seen!.n).toBe(2);
  });

  it("rolls back the transaction of a client that disconnects inside it", async () => {
    const lonely = postgres(database.url, { prepare: false, max: 1 });
    await lonely`create table if not exists abandoned (n int)`;
    await lonely.unsafe("begin; insert into abandoned values (1);");
    await lonely.end({ timeout: 0 });
    const [row] = await second`select count(*)::int as n from abandoned`;
    expect(row!.n).toBe(0);
  });

  it("serves psql", async () => {
    const { stdout } = await promisify(exec)(`psql "${database.url}" -tAc "select count(*) from products"`);
    expect(stdout.trim()).toBe("5");
  });
});
