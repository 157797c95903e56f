import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrations } from "../../local/db/migrations";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";

let database: TestDatabase;
beforeAll(async () => {
  database = await startTestDatabase();
});
afterAll(async () => {
  const { closeDatabase } = await import("../../app/db.server");
  await closeDatabase();
  await database.stop();
});

describe("/healthz", () => {
  it("answers 200 with the latest migration while the database is up", async () => {
    process.env.DATABASE_URL = database.url;
    const { loader } = await import("../../app/routes/healthz");
    const response = await loader();
    expect(response.status).toBe(200);
    const latest = (await listMigrations()).at(-1)!.version;
    expect(await response.json()).toMatchObject({ db: "ok", migration: latest });
  });

  it("answers 503 with the reason when the database is unreachable", async () => {
    await database.stop();
    const { loader } = await import("../../app/routes/healthz");
    const response = await loader();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ db: "unreachable", migration: null, reason: expect.any(String) });
    database = await startTestDatabase();
  });
});
