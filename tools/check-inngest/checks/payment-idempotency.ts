import ts from "typescript";
import { functionLabel, hasOption, type CheckContext } from "../check-context";
import type { Finding } from "../findings";
import { lineOf, property, stringValue, unwrap, type FunctionSite, type ProjectScan } from "../project-scan";

const CHECK = "payment-idempotency";

/** Words that make a function id or trigger event payment-related. */
const PAYMENT_WORDS = new Set([
  "payment",
  "payments",
  "pay",
  "charge",
  "charges",
  "stripe",
  "checkout",
  "order",
  "orders",
  "refund",
  "refunds",
  "billing",
  "invoice",
  "invoices",
  "subscription",
  "subscriptions",
]);

/**
 * A Stripe SDK write: a receiver whose name contains "stripe" (stripe, stripeClient, getStripe(), this.stripe),
 * then resources (paymentIntents, checkout.sessions, ...) and a method that changes money or customer state.
 */
const STRIPE_WRITE =
  /^(this\.)?\w*stripe\w*(\(\))?(\.\w+)+\.(create|confirm|capture|cancel|update|pay|finalizeInvoice|attach|del)$/i;

/**
 * ERROR: a payment-related function must be safe to run twice for one event: an event sent twice, or a step
 * retried after Stripe accepted the request, must not charge twice. See tools/check-inngest/README.md for the rule.
 */
export function paymentIdempotency(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const site of context.scan.functions) {
    if (hasOption(context, site, "idempotency")) continue;
    const writes = stripeWrites(site);
    const unkeyed = writes.filter((write) => !write.keyed);
    const named = namesPayment(site, context.scan);
    if (writes.length === 0 && !named) continue;
    if (writes.length > 0 && unkeyed.length === 0) continue;
    const where =
      unkeyed.length > 0
        ? ` It calls Stripe without an idempotencyKey at line ${unkeyed.map((write) => write.line).join(", ")}.`
        : "";
    findings.push({
      severity: "ERROR",
      check: CHECK,
      file: site.file,
      line: site.line,
      message: `Payment-related function ${functionLabel(context, site)} has no idempotency key, so a repeated event can charge twice.${where}`,
      fix: "Add idempotency: 'event.data.orderId' (the payment's own id) to the function config, or pass { idempotencyKey } to every Stripe call inside it.",
    });
  }
  return findings;
}

/** Whether the function's id or any trigger's event name speaks of payments. */
function namesPayment(site: FunctionSite, scan: ProjectScan): boolean {
  const names = [site.id ?? ""];
  for (const trigger of site.triggers) {
    const event = ts.isObjectLiteralExpression(trigger) ? property(trigger, "event") : trigger;
    if (!event) continue;
    const literal = stringValue(event);
    names.push(literal ?? scan.eventTypes.get(event.getText(site.source)) ?? event.getText(site.source));
  }
  return names.some((name) => words(name).some((word) => PAYMENT_WORDS.has(word)));
}

/** Splits "order/placed", "process-order" and "orderPlaced" alike into lowercase words. */
const words = (text: string) => text.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((word) => word.toLowerCase());

/** Every Stripe write inside the function's handlers, and whether it passes request options with an idempotencyKey. */
function stripeWrites(site: FunctionSite): Array<{ line: number; keyed: boolean }> {
  const writes: Array<{ line: number; keyed: boolean }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && STRIPE_WRITE.test(node.expression.getText(site.source).replace(/\s+/g, ""))) {
      // Stripe takes request options as the last object argument: create(params, { idempotencyKey }), update(id, params, {...}).
      const keyed = node.arguments.some((arg) => property(unwrap(arg), "idempotencyKey") !== undefined);
      writes.push({ line: lineOf(site.source, node), keyed });
    }
    ts.forEachChild(node, visit);
  };
  for (const body of site.bodies) visit(body);
  return writes;
}
