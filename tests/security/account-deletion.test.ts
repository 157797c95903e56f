import { beforeAll, describe, expect, it } from "vitest";
import { startTestStack } from "../../harness/test-stack";
import { holdWorkflows, startForFile } from "../support/start-for-file";
import { call, formRequest, signUpAndSignIn } from "./signed-in";
import { saveCard } from "../support/saved-card";

// Deleting an account must not leave the user's files behind when Storage refuses to remove them, nor keep the
// money for an order that was charged but will now never ship.

const stack = startForFile(startTestStack);
const settings = () => import("../../app/routes/settings");

const deleteAccount = async (user: { email: string; cookie: string }) =>
  call(
    (await settings()).action,
    formRequest(`${stack.appUrl}/settings`, { intent: "delete-account", confirm: user.email }, user.cookie),
  );

beforeAll(async () => {
  // The order workflow must not finish the order first: these orders are caught between charge and shipping.
  await holdWorkflows(stack);
});

describe("deleting an account", () => {
  it("keeps the account, and says to try again, when Storage refuses to remove its files", async () => {
    const user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    // A name Storage answers 400 InvalidKey to, so its remove request fails.
    await stack.stack.sql`insert into documents (user_id, title, storage_path, size_bytes)
      values (${user.id}, 'Notes', ${`${user.id}/../notes.pdf`}, 10)`;
    const response = await deleteAccount(user);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ deleteError: expect.stringMatching(/try again/) });
    expect(await stack.stack.sql`select 1 from auth.users where id = ${user.id}`).toHaveLength(1);
    expect(await stack.stack.sql`select 1 from documents where user_id = ${user.id}`).toHaveLength(1);
  });

  it("refunds an order that was charged and not yet shipped", async () => {
    const user = await signUpAndSignIn(stack.appUrl, stack.stack.env.SUPABASE_URL!);
    await saveCard({ sub: user.id, email: user.email, role: "authenticated" });
    const [product] = await stack.stack.sql<{ id: string }[]>`select id from products limit 1`;
    const shop = await import("../../app/routes/shop");
    const placed = await call(
      shop.action,
      formRequest(`${stack.appUrl}/shop`, { productId: product!.id, quantity: "1" }, user.cookie),
    );
    const orderId = placed.headers.get("location")!.replace("/orders/", "");
    // The workflow's first steps, as they would have run: stock checked, customer found, card charged.
    await stack.stack.sql`update orders set status = 'processing' where id = ${orderId}`;
    const { validatePayment } = await import("../../app/orders/validate-payment.server");
    const { chargePayment } = await import("../../app/orders/charge-payment.server");
    const { customerId, paymentMethod } = await validatePayment(orderId);
    const charge = await chargePayment(orderId, customerId, paymentMethod);
    expect(charge.status).toBe("charged");
    const paymentIntent = (charge as { paymentIntentId: string }).paymentIntentId;

    const response = await deleteAccount(user);
    expect(response.status).toBe(302);
    // Stripe refuses a second full refund of a charge that was refunded already.
    await expect(stack.stripe.refunds.create({ payment_intent: paymentIntent })).rejects.toMatchObject({
      code: "charge_already_refunded",
    });
    expect(await stack.stack.sql`select 1 from auth.users where id = ${user.id}`).toHaveLength(0);
  });
});
