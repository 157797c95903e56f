import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";
import type { SignedInUser } from "../../app/auth/require-user.server";

// A page's loaders share what one request needs once: the signed-in user and a read-only transaction. Sharing
// must not change what each loader sees, and must never let one request's work into another's transaction.

let database: TestDatabase;
let data: typeof import("../../app/db.server");
let scope: typeof import("../../app/request-scope.server");

const userOf = (sub: string): SignedInUser => ({
  claims: { sub, role: "authenticated", email: `${sub}@example.com` },
  email: `${sub}@example.com`,
  accessToken: "unused",
  headers: new Headers(),
});

// A transaction-local setting: visible to the rest of the transaction that set it, and to nothing else.
const mark = (value: string) => (tx: import("../../app/db.server").Tx) =>
  tx`select set_config('stepwise.probe', ${value}, true)`;
const markSeen = async (tx: import("../../app/db.server").Tx) =>
  (await tx<{ seen: string | null }[]>`select current_setting('stepwise.probe', true) as seen`)[0]!.seen;

beforeAll(async () => {
  database = await startTestDatabase();
  process.env.DATABASE_URL = database.url;
  data = await import("../../app/db.server");
  scope = await import("../../app/request-scope.server");
});

afterAll(async () => {
  await data.closeDatabase();
  await database.stop();
});

describe("reads shared by one request's loaders", () => {
  it("runs loaders that read at about the same time in one transaction, as the user", async () => {
    const context = {};
    const user = userOf(randomUUID());
    const [, seen, sub] = await Promise.all([
      scope.readAsUser(context, user, mark("root")),
      scope.readAsUser(context, user, async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return markSeen(tx);
      }),
      scope.readAsUser(context, user, async (tx) => (await tx`select auth.uid()::text as sub`)[0]!.sub as string),
    ]);
    expect(seen).toBe("root");
    expect(sub).toBe(user.claims.sub);
  });

  it("opens a new transaction for a read that comes after the shared one has closed", async () => {
    const context = {};
    const user = userOf(randomUUID());
    await scope.readAsUser(context, user, mark("first"));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await scope.readAsUser(context, user, markSeen)).not.toBe("first");
  });

  it("never shares a transaction between two requests", async () => {
    const user = userOf(randomUUID());
    const [, seen] = await Promise.all([
      scope.readAsUser({}, user, mark("other request")),
      scope.readAsUser({}, user, markSeen),
    ]);
    expect(seen).not.toBe("other request");
  });

  it("refuses a write, so one loader can never commit through another's transaction", async () => {
    await expect(
      scope.readAsUser({}, userOf(randomUUID()), (tx) => tx`update profiles set digest_opt_in = false`),
    ).rejects.toThrow(/read-only transaction/);
  });

  it("checks the session once for all of a request's loaders", async () => {
    const context = {};
    let checks = 0;
    const find = async () => {
      checks += 1;
      return userOf("00000000-0000-4000-8000-000000000001");
    };
    const [a, b] = await Promise.all([scope.sharedUser(context, find), scope.sharedUser(context, find)]);
    await scope.sharedUser({}, find);
    expect(a).toBe(b);
    expect(checks).toBe(2);
  });
});
