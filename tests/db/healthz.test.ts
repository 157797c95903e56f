import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listMigrations } from "../../local/db/migrations";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";
import { allowConsoleErrors } from "../setup/fail-on-console-error";

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

  it("answers 503 'unreachable' without the driver's error text, which goes to the log", async () => {
    const url = new URL(database.url);
    await database.stop();
    allowConsoleErrors(/^healthz: the database is unreachable: /);
    const { loader } = await import("../../app/routes/healthz");
    const response = await loader();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ db: "unreachable", migration: null, time: expect.any(String) });
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect|postgres/i);
    expect(text).not.toContain(url.port);
    expect(vi.mocked(console.error)).toHaveBeenCalledWith(
      expect.stringMatching(/^healthz: the database is unreachable: /),
    );
    database = await startTestDatabase();
  });
});
