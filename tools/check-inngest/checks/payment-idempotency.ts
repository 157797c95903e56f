import ts from "typescript";
import type { Finding } from "../findings";
import { property, type ProjectScan } from "../project-scan";

const PAYMENT_WORDS = /payment|charge|stripe|checkout|refund|billing/i;
const STRIPE_CALL = /\bstripe\(\)?\.(paymentIntents|charges|refunds|checkout|subscriptions|customers)\.(create|confirm|cancel)\b/;

/**
 * ERROR: a payment-related function — its id or triggers mention payments, or its handler calls Stripe — must be
 * idempotent: an `idempotency` key on the function, or an idempotencyKey on every Stripe write inside it.
 */
export function paymentIdempotency(scan: ProjectScan): Finding[] {
  const findings: Finding[] = [];
  for (const fn of scan.functions) {
    if (property(fn.options, "idempotency") !== undefined) continue;
    const source = scan.files.find((f) => f.path === fn.file)?.source;
    const handlerText = fn.handler && source ? fn.handler.getText(source) : "";
    const triggerText = source ? fn.triggers.map((t) => t.getText(source)).join(" ") : "";
    const callsStripe = STRIPE_CALL.test(handlerText);
    const looksLikePayment = PAYMENT_WORDS.test(`${fn.id ?? ""} ${triggerText}`) || callsStripe;
    if (!looksLikePayment) continue;
    if (callsStripe && everyStripeWriteHasKey(fn.handler!, source!)) continue;
    findings.push({
      severity: "ERROR",
      check: "payment-idempotency",
      file: fn.file,
      line: fn.line,
      message: `Payment-related function "${fn.id ?? fn.variable}" has no idempotency key. Add idempotency: 'event.data.orderId' to the function config (and pass idempotencyKey to Stripe).`,
    });
  }
  return findings;
}

function everyStripeWriteHasKey(handler: ts.Node, source: ts.SourceFile): boolean {
  let allKeyed = true;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && STRIPE_CALL.test(node.expression.getText(source))) {
      const requestOptions = node.arguments[1];
      const keyed = requestOptions && ts.isObjectLiteralExpression(requestOptions) && property(requestOptions, "idempotencyKey") !== undefined;
      if (!keyed) allKeyed = false;
    }
    ts.forEachChild(node, visit);
  };
  visit(handler);
  return allKeyed;
}
