import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../../harness/test-database";

// Every table a user can reach, checked through withUser exactly as the app queries it: user A sees and
// changes only A's rows, the anon role sees nothing, and a row forged in B's name is refused.

type DataLayer = typeof import("../../app/db.server");
let database: TestDatabase;
let data: DataLayer;
const userA = randomUUID();
const userB = randomUUID();
const ids: Record<string, Record<"a" | "b", string>> = {};

interface TableCase {
  table: string;
  key: string;
  /** A harmless change, to check that B's row cannot be updated by A. */
  change: string;
  /** An insert of a row claiming to belong to B, made as A. */
  forgedInsert: (b: string) => string;
}

const TABLES: TableCase[] = [
  {
    table: "profiles",
    key: "id",
    change: "digest_opt_in = false",
    forgedInsert: (b) => `insert into profiles (id, email) values ('${b}', 'x@x.io')`,
  },
  {
    table: "orders",
    key: "id",
    change: "failure_reason = 'changed'",
    forgedInsert: (b) =>
      `insert into orders (user_id, total_cents, payment_method) values ('${b}', 100, 'pm_card_visa')`,
  },
  {
    table: "order_items",
    key: "id",
    change: "quantity = 2",
    forgedInsert: () =>
      `insert into order_items (order_id, product_id, quantity, unit_price_cents) values ('${ids.orders!.b}', (select id from products limit 1 offset 1), 1, 100)`,
  },
  {
    table: "order_status_history",
    key: "id",
    change: "detail = 'changed'",
    forgedInsert: () => `insert into order_status_history (order_id, step) values ('${ids.orders!.b}', 'placed')`,
  },
  {
    table: "payments",
    key: "id",
    change: "status = 'changed'",
    forgedInsert: (b) =>
      `insert into payments (order_id, user_id, stripe_payment_intent_id, amount_cents, currency, status) values ('${ids.orders!.a}', '${b}', 'pi_forged', 1, 'usd', 'x')`,
  },
  {
    table: "stripe_customers",
    key: "user_id",
    change: "stripe_customer_id = 'cus_changed'",
    forgedInsert: (b) => `insert into stripe_customers (user_id, stripe_customer_id) values ('${b}', 'cus_forged')`,
  },
  {
    table: "subscriptions",
    key: "id",
    change: "status = 'changed'",
    forgedInsert: (b) =>
      `insert into subscriptions (user_id, stripe_subscription_id, stripe_customer_id, status, plan) values ('${b}', 'sub_forged', 'cus_x', 'active', 'pro')`,
  },
  {
    table: "documents",
    key: "id",
    change: "title = 'changed'",
    forgedInsert: (b) =>
      `insert into documents (user_id, title, storage_path, size_bytes) values ('${b}', 't', '${b}/forged.pdf', 1)`,
  },
  {
    table: "document_chunks",
    key: "id",
    change: "content = 'changed'",
    forgedInsert: (b) =>
      `insert into document_chunks (document_id, user_id, chunk_index, page_number, content, token_count, embedding, fts) values ('${ids.documents!.b}', '${b}', 9, 1, 'x', 1, array_fill(0.1, array[1536])::extensions.vector, to_tsvector('simple', 'x'))`,
  },
  {
    table: "email_log",
    key: "id",
    change: "subject = 'changed'",
    forgedInsert: (b) =>
      `insert into email_log (user_id, idempotency_key, kind, to_address, subject) values ('${b}', 'forged', 'welcome', 'x@x.io', 's')`,
  },
  {
    table: "storage.objects",
    key: "id",
    change: "metadata = '{}'",
    forgedInsert: (b) =>
      `insert into storage.objects (bucket_id, name, owner) values ('documents', '${b}/forged.pdf', '${b}')`,
  },
];

async function seedRowsFor(owner: "a" | "b", userId: string) {
  const one = async (query: string) => (await database.db.query<{ id: string }>(query)).rows[0]!.id;
  ids.profiles![owner] = userId;
  ids.stripe_customers![owner] = userId;
  ids.orders![owner] = await one(
    `insert into orders (user_id, total_cents, payment_method) values ('${userId}', 1800, 'pm_card_visa') returning id`,
  );
  ids.order_items![owner] = await one(
    `insert into order_items (order_id, product_id, quantity, unit_price_cents) select '${ids.orders![owner]}', id, 1, price_cents from products limit 1 returning id`,
  );
  ids.order_status_history![owner] = await one(
    `insert into order_status_history (order_id, step) values ('${ids.orders![owner]}', 'placed') returning id::text`,
  );
  ids.payments![owner] = await one(
    `insert into payments (order_id, user_id, stripe_payment_intent_id, amount_cents, currency, status) values ('${ids.orders![owner]}', '${userId}', 'pi_${owner}', 1800, 'usd', 'succeeded') returning id`,
  );
  await one(
    `insert into stripe_customers (user_id, stripe_customer_id) values ('${userId}', 'cus_${owner}') returning user_id as id`,
  );
  ids.subscriptions![owner] = await one(
    `insert into subscriptions (user_id, stripe_subscription_id, stripe_customer_id, status, plan) values ('${userId}', 'sub_${owner}', 'cus_${owner}', 'active', 'pro') returning id`,
  );
  ids.documents![owner] = await one(
    `insert into documents (user_id, title, storage_path, size_bytes) values ('${userId}', 'Doc ${owner}', '${userId}/doc.pdf', 10) returning id`,
  );
  ids.document_chunks![owner] = await one(
    `insert into document_chunks (document_id, user_id, chunk_index, page_number, content, token_count, embedding, fts) values ('${ids.documents![owner]}', '${userId}', 0, 1, 'text', 1, array_fill(0.1, array[1536])::extensions.vector, to_tsvector('simple', 'text')) returning id::text`,
  );
  ids.email_log![owner] = await one(
    `insert into email_log (user_id, idempotency_key, kind, to_address, subject) values ('${userId}', 'welcome-${userId}', 'welcome', '${owner}@x.io', 'Welcome') returning id`,
  );
  ids["storage.objects"]![owner] = await one(
    `insert into storage.objects (bucket_id, name, owner) values ('documents', '${userId}/doc.pdf', '${userId}') returning id`,
  );
}

const claimsOf = (sub: string) => ({ sub, role: "authenticated", email: `${sub}@x.io` });

beforeAll(async () => {
  database = await startTestDatabase();
  process.env.DATABASE_URL = database.url;
  data = await import("../../app/db.server");
  for (const { table } of TABLES) ids[table] = { a: "", b: "" };
  await database.db.exec(`insert into auth.users (id, email) values ('${userA}', 'a@x.io'), ('${userB}', 'b@x.io')`);
  await seedRowsFor("a", userA);
  await seedRowsFor("b", userB);
});

afterAll(async () => {
  await data.closeDatabase();
  await database.stop();
});

describe.each(TABLES)("row level security on $table", ({ table, key, change, forgedInsert }) => {
  it("lets a user read their own row and not another user's", async () => {
    const rows = await data.withUser(claimsOf(userA), (tx) => tx.unsafe(`select ${key}::text as key from ${table}`));
    const keys = rows.map((row) => row.key);
    expect(keys).toContain(ids[table]!.a);
    expect(keys).not.toContain(ids[table]!.b);
  });

  it("does not let a user update or delete another user's row", async () => {
    const target = ids[table]!.b;
    // Tables users may not write at all refuse with "permission denied"; the rest find no row of B's.
    const rowsChanged = (query: string) =>
      data
        .withUser(claimsOf(userA), (tx) => tx.unsafe(query))
        .then(
          (result) => result.count,
          (error: Error) => {
            if (/permission denied/.test(error.message)) return 0;
            throw error;
          },
        );
    const updated = await rowsChanged(`update ${table} set ${change} where ${key}::text = '${target}'`);
    const deleted = await rowsChanged(`delete from ${table} where ${key}::text = '${target}'`);
    expect([updated, deleted]).toEqual([0, 0]);
    const still = await database.db.query(`select 1 from ${table} where ${key}::text = '${target}'`);
    expect(still.rows).toHaveLength(1);
  });

  it("shows the anon role nothing", async () => {
    const rows = await data.transactionAs(data.database(), "anon", { role: "anon" }, (tx) =>
      tx.unsafe(`select count(*)::int as n from ${table}`),
    );
    expect(rows[0]!.n).toBe(0);
  });

  it("refuses a row forged in another user's name", async () => {
    await expect(data.withUser(claimsOf(userA), (tx) => tx.unsafe(forgedInsert(userB)))).rejects.toThrow(
      /row-level security|violates|permission denied/,
    );
  });
});

// Keyword search runs as its owner so it can use the full-text index (row level security would keep `@@` out of
// it): it must still find only the caller's passages, and nothing at all for anyone not signed in.
describe("keyword search, which states the row policy itself", () => {
  const keywordMatches = (role: string, claims: Record<string, unknown>) =>
    data.transactionAs(data.database(), role, claims, (tx) =>
      tx<{ chunk_id: string }[]>`select chunk_id::text from keyword_match_document_chunks('text', 50)`.then((rows) =>
        rows.map((row) => row.chunk_id),
      ),
    );

  it("finds the caller's passage and not another user's with the same word", async () => {
    const found = await keywordMatches("authenticated", claimsOf(userA));
    expect(found).toContain(ids.document_chunks!.a);
    expect(found).not.toContain(ids.document_chunks!.b);
  });

  it("is not open to the anon role", async () => {
    await expect(keywordMatches("anon", { role: "anon" })).rejects.toThrow(/permission denied/);
  });
});

describe("tables only the workflows write", () => {
  it("hides processed Stripe events from users", async () => {
    await database.db.exec(
      `insert into processed_stripe_events (stripe_event_id, type) values ('evt_1', 'checkout.session.completed')`,
    );
    const rows = await data.withUser(claimsOf(userA), (tx) => tx`select * from processed_stripe_events`);
    expect(rows).toHaveLength(0);
  });

  it("hides skipped Stripe events from users and anon", async () => {
    await database.db.exec(
      `insert into skipped_stripe_events (stripe_event_id, type, reason) values ('evt_2', 'invoice.paid', 'not ours')`,
    );
    expect(await data.withUser(claimsOf(userA), (tx) => tx`select * from skipped_stripe_events`)).toHaveLength(0);
    expect(
      await data.transactionAs(
        data.database(),
        "anon",
        { role: "anon" },
        (tx) => tx`select * from skipped_stripe_events`,
      ),
    ).toHaveLength(0);
  });

  it("lets anyone read the plans on sale, and no one but the service role change them", async () => {
    await database.db
      .exec(`insert into billing_products (id, name, active, stripe_updated_at) values ('prod_1', 'Pro', true, now());
      insert into billing_prices (id, product_id, active, currency, unit_amount, recurring_interval) values ('price_1', 'prod_1', true, 'usd', 1200, 'month')`);
    const anon = (query: string) =>
      data.transactionAs(data.database(), "anon", { role: "anon" }, (tx) => tx.unsafe(query));
    expect(await anon("select id from billing_prices")).toEqual([{ id: "price_1" }]);
    expect((await data.withUser(claimsOf(userA), (tx) => tx`select id from billing_products`)).length).toBe(1);
    expect((await anon("update billing_prices set unit_amount = 1")).count).toBe(0);
    expect(
      (await data.withUser(claimsOf(userA), (tx) => tx`update billing_products set name = 'Free' where id = 'prod_1'`))
        .count,
    ).toBe(0);
    await expect(
      anon("insert into billing_prices (id, product_id, active, currency) values ('p2', 'prod_1', true, 'usd')"),
    ).rejects.toThrow(/row-level security/);
  });

  it("lets the service role read every user's orders", async () => {
    const rows = await data.asService((tx) => tx`select count(*)::int as n from orders`);
    expect(rows[0]!.n).toBe(2);
  });

  it("does not let a user move their own order's status", async () => {
    await expect(
      data.withUser(claimsOf(userA), (tx) => tx`update orders set status = 'shipped' where id = ${ids.orders!.a}`),
    ).rejects.toThrow(/permission denied/);
    const [order] = await database.db
      .query<{ status: string }>(`select status from orders where id = '${ids.orders!.a}'`)
      .then((result) => result.rows);
    expect(order!.status).toBe("placed");
  });
});
