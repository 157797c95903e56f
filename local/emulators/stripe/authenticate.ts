import type { Router } from "../../http/router";
import type { HostedPageContext } from "./checkout";
import { escape, hostedPage, html, money } from "./page-kit";
import { cardByLast4, cardByPaymentMethod } from "./test-cards";

/**
 * The bank's 3D Secure page a PaymentIntent's `next_action.redirect_to_url` leads to, when it was confirmed
 * on-session with a card that asks for authentication. Completing it charges the card; failing it leaves the
 * PaymentIntent needing a payment method, with `payment_intent_authentication_failure`, as Stripe does. Either
 * way the customer goes back to the `return_url` the confirmation named.
 */
export function authenticationPages(router: Router, ctx: HostedPageContext) {
  const { get, store, emit } = ctx;

  const waitingIntent = async (id: string) => {
    const intent = await get(id, "payment_intent");
    return intent?.status === "requires_action" ? intent : undefined;
  };

  router.get("/authenticate/:id", async (_request, { id }) => {
    const intent = await waitingIntent(id!);
    if (!intent) return html(hostedPage("Authenticate", "<p>This payment needs no authentication now.</p>"), 404);
    return html(
      hostedPage(
        "Authenticate",
        `<h1>3D Secure authentication</h1><p>Your bank asks you to confirm a payment of ${money(Number(intent.amount), String(intent.currency))}.</p>
<form method="post" action="/authenticate/${escape(intent.id)}">
<button type="submit" name="result" value="complete">Complete authentication</button>
<button type="submit" name="result" value="fail" class="secondary">Fail authentication</button></form>`,
      ),
    );
  });

  router.post("/authenticate/:id", async (request, { id }) => {
    const intent = await waitingIntent(id!);
    if (!intent) return new Response("This payment needs no authentication now.", { status: 409 });
    const result = new URLSearchParams(await request.text()).get("result");
    const methodId = String(intent.payment_method);
    const next = intent.next_action as { redirect_to_url: { return_url: string | null } };
    const back = () =>
      next.redirect_to_url.return_url
        ? Response.redirect(next.redirect_to_url.return_url, 303)
        : html(hostedPage("Authenticate", "<p>Done. You can close this page.</p>"));
    if (result === "complete") {
      const method = await get(methodId, "payment_method");
      const card =
        cardByPaymentMethod(methodId) ?? cardByLast4(String((method?.card as { last4?: string } | undefined)?.last4));
      await ctx.succeedIntent(intent, methodId, card!);
      return back();
    }
    const error = {
      type: "card_error",
      code: "payment_intent_authentication_failure",
      message:
        "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    };
    const failed = await store.put({
      ...intent,
      status: "requires_payment_method",
      next_action: null,
      last_payment_error: error,
    });
    await emit("payment_intent.payment_failed", failed);
    return back();
  });
}
