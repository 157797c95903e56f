import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../harness/test-stack";
import { holdWorkflows } from "../support/start-for-file";
import { accessTokenFor, asPostgrestRequest, call, formRequest, signUpAndSignIn, type SignedInUser } from "./signed-in";

// The anon key is public: with it and their own access token anyone can send PostgREST any write their grants
// and row level security allow, so those must allow nothing a user could abuse. Orders: buy one cheap item
// through the shop, then add 100 units of a dear one before the workflow checks inventory, or price an order at
// a cent. Profiles: set one's email to someone else's address and have the digest sent there.

let stack: TestStack;
let user: SignedInUser;
let token: string;
let cheap: { id: string; price_cents: number };
let dear: { id: string; price_cents: number };

const shop = () => import("../../app/routes/shop");

async function placeThroughShop(productId: string, quantity: number): Promise<string> {
  const response = await call(
    (await shop()).action,
    formRequest(
      `${stack.appUrl}/shop`,
      { productId, quantity: String(quantity), paymentMethod: "pm_card_visa" },
      user.cookie,
    ),
  );
  expect(response.status).toBe(302);
  return response.headers.get("location")!.replace("/orders/", "");
}

beforeAll(async () => {
  stack = await startTestStack();
  user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
  token = await accessTokenFor(stack.stack.env.SUPABASE_URL!, user.email);
  const products = await stack.stack.sql<
    { id: string; price_cents: number }[]
  >`select id, price_cents from products order by price_cents`;
  cheap = products[0]!;
  dear = products.at(-1)!;
  // The workflow would move the order on at once; hold it in 'placed', where the old policies let items in.
  await holdWorkflows(stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("orders written through PostgREST with the anon key and a user's token", () => {
  it("refuses an order the user prices themselves", async () => {
    await expect(
      asPostgrestRequest(
        stack.stack.sql,
        token,
        (tx) => tx`insert into orders (user_id, total_cents, payment_method) values (${user.id}, 1, 'pm_card_visa')`,
      ),
    ).rejects.toThrow(/permission denied|row-level security/);
    const [row] = await stack.stack.sql<{ n: number }[]>`
      select count(*)::int as n from orders where user_id = ${user.id} and total_cents = 1`;
    expect(row!.n).toBe(0);
  });

  it("refuses 100 units of another product slipped into the user's own placed order", async () => {
    const orderId = await placeThroughShop(cheap.id, 1);
    await expect(
      asPostgrestRequest(
        stack.stack.sql,
        token,
        (tx) => tx`insert into order_items (order_id, product_id, quantity, unit_price_cents)
          values (${orderId}, ${dear.id}, 100, 1)`,
      ),
    ).rejects.toThrow(/permission denied|row-level security/);
    const items = await stack.stack.sql`select product_id, quantity from order_items where order_id = ${orderId}`;
    expect(items).toEqual([{ product_id: cheap.id, quantity: 1 }]);
  });

  it("refuses a forged step in the order's history", async () => {
    const orderId = await placeThroughShop(cheap.id, 1);
    await expect(
      asPostgrestRequest(
        stack.stack.sql,
        token,
        (tx) => tx`insert into order_status_history (order_id, step) values (${orderId}, 'shipped')`,
      ),
    ).rejects.toThrow(/permission denied|row-level security/);
  });

  it("refuses a change of an order's total or status", async () => {
    const orderId = await placeThroughShop(dear.id, 2);
    await expect(
      asPostgrestRequest(
        stack.stack.sql,
        token,
        (tx) => tx`update orders set total_cents = 1, status = 'paid' where id = ${orderId}`,
      ),
    ).rejects.toThrow(/permission denied/);
  });
});

describe("orders placed through the shop", () => {
  it("are priced from the catalogue and stay readable by their owner", async () => {
    const orderId = await placeThroughShop(dear.id, 3);
    const [order] = await asPostgrestRequest(
      stack.stack.sql,
      token,
      (tx) =>
        tx<{ total_cents: number; status: string }[]>`select total_cents, status from orders where id = ${orderId}`,
    );
    expect(order).toEqual({ total_cents: dear.price_cents * 3, status: "placed" });
    const items = await asPostgrestRequest(
      stack.stack.sql,
      token,
      (tx) => tx`select quantity, unit_price_cents from order_items where order_id = ${orderId}`,
    );
    expect(items).toEqual([{ quantity: 3, unit_price_cents: dear.price_cents }]);
    const history = await asPostgrestRequest(
      stack.stack.sql,
      token,
      (tx) => tx`select step from order_status_history where order_id = ${orderId}`,
    );
    expect(history).toEqual([{ step: "placed" }]);
  });
});

describe("profiles written through PostgREST with the anon key and a user's token", () => {
  const profile = async () =>
    (
      await stack.stack.sql<{ email: string; full_name: string | null; digest_opt_in: boolean }[]>`
      select email, full_name, digest_opt_in from profiles where id = ${user.id}`
    )[0]!;

  it("refuses a change of the email address the mail goes to", async () => {
    await expect(
      asPostgrestRequest(
        stack.stack.sql,
        token,
        (tx) => tx`update profiles set email = 'victim@example.com' where id = ${user.id}`,
      ),
    ).rejects.toThrow(/permission denied/);
    expect((await profile()).email).toBe(user.email);
  });

  it("refuses a new profile or a deleted one", async () => {
    await expect(
      asPostgrestRequest(stack.stack.sql, token, (tx) => tx`delete from profiles where id = ${user.id}`),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asPostgrestRequest(
        stack.stack.sql,
        token,
        (tx) => tx`insert into profiles (id, email) values (gen_random_uuid(), 'victim@example.com')`,
      ),
    ).rejects.toThrow(/permission denied|row-level security/);
  });

  it("lets the user change their mail preferences", async () => {
    await asPostgrestRequest(
      stack.stack.sql,
      token,
      (tx) => tx`update profiles set digest_opt_in = false, updated_at = now() where id = ${user.id}`,
    );
    expect((await profile()).digest_opt_in).toBe(false);
  });

  it("follows the address in Supabase Auth when it changes there", async () => {
    const changed = `moved-${user.id.slice(0, 8)}@example.com`;
    await stack.stack.sql`update auth.users set email = ${changed} where id = ${user.id}`;
    expect((await profile()).email).toBe(changed);
  });
});
