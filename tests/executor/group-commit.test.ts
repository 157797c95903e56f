import { afterAll, beforeAll, expect, it } from "vitest";
import { GroupCommit } from "../../local/inngest/group-commit";
import { openPglite, type Database } from "../../local/inngest/store/database";

// Answers applied together share a transaction; one that fails must not take the others down with it, and
// nothing of the failing one may be left behind.

let db: Database;
beforeAll(async () => {
  db = await openPglite();
  await db.query("create table answers (id int primary key)");
});
afterAll(() => db.close());

it("commits every answer of a group but the failing one, which rejects and leaves nothing behind", async () => {
  const commits = new GroupCommit(db);
  const insert = (id: number) => (tx: Database) => tx.query("insert into answers (id) values ($1)", [id]);
  const results = await Promise.allSettled([
    commits.run(insert(1)),
    commits.run(insert(2)),
    commits.run(async (tx) => {
      await insert(3)(tx);
      throw new Error("this answer cannot be applied");
    }),
    commits.run(insert(4)),
  ]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
  expect((results[2] as PromiseRejectedResult).reason.message).toBe("this answer cannot be applied");
  const rows = await db.query<{ id: number }>("select id from answers order by id");
  expect(rows.map((r) => r.id)).toEqual([1, 2, 4]);
});

it("hands each answer its own result, in the order they arrived", async () => {
  const commits = new GroupCommit(db);
  const order: number[] = [];
  const values = await Promise.all(
    [10, 11, 12].map((n) =>
      commits.run(async (tx) => {
        order.push(n);
        await tx.query("insert into answers (id) values ($1)", [n]);
        return n * 2;
      }),
    ),
  );
  expect(values).toEqual([20, 22, 24]);
  expect(order).toEqual([10, 11, 12]);
});

it("runs the group's closing work once per transaction, inside it, and again for each answer retried alone", async () => {
  await db.query("create table closings (answers int not null)");
  // The closing work records how many answers its transaction applied, as the executor stores a group's events.
  const applied = new WeakMap<Database, number>();
  const commits = new GroupCommit(db, async (tx) => {
    await tx.query("insert into closings (answers) values ($1)", [applied.get(tx) ?? 0]);
  });
  const answer = (fail: boolean) => (tx: Database) => {
    applied.set(tx, (applied.get(tx) ?? 0) + 1);
    return fail ? Promise.reject(new Error("bad answer")) : Promise.resolve();
  };
  await Promise.all([commits.run(answer(false)), commits.run(answer(false)), commits.run(answer(false))]);
  // Answers that arrive in the same turn of the event loop are one group: one transaction, one closing.
  expect((await db.query<{ answers: number }>("select answers from closings")).map((r) => r.answers)).toEqual([3]);
  await db.query("delete from closings");
  await Promise.allSettled([commits.run(answer(false)), commits.run(answer(false)), commits.run(answer(true))]);
  // The group fails as a whole, so each answer is retried alone: the good ones commit, each with its closing.
  expect((await db.query<{ answers: number }>("select answers from closings")).map((r) => r.answers)).toEqual([1, 1]);
});
