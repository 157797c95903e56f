import { Environment } from "@marcbachmann/cel-js";

// Inngest's expressions are CEL (trigger `expression`, waitForEvent/cancelOn `if`, flow-control `key`s), with a
// few functions of its own. Inngest treats a missing field as unknown rather than an error, so evaluation that
// fails on a missing key yields null here (and a condition on it is false).

const environment = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
  .registerFunction("lowercase(string): string", (text: string) => text.toLowerCase())
  .registerFunction("uppercase(string): string", (text: string) => text.toUpperCase())
  .registerFunction("b64decode(string): string", (text: string) => Buffer.from(text, "base64").toString("utf8"))
  .registerFunction("json_parse(string): dyn", (text: string) => JSON.parse(text))
  .registerFunction("date(string): int", (text: string) => BigInt(Date.parse(text)))
  .registerFunction("now(): int", () => BigInt(Date.now()))
  .registerFunction("now_plus(string): int", (text: string) => BigInt(Date.now() + Number.parseInt(text, 10) * 1_000))
  .registerFunction("now_minus(string): int", (text: string) => BigInt(Date.now() - Number.parseInt(text, 10) * 1_000));

type Compiled = (context: Record<string, unknown>) => unknown;
const cache = new Map<string, Compiled>();

function compile(expression: string): Compiled {
  let compiled = cache.get(expression);
  if (!compiled) {
    compiled = environment.parse(expression) as unknown as Compiled;
    cache.set(expression, compiled);
  }
  return compiled;
}

/** Throws if the expression does not parse, so bad function configs are reported at sync time. */
export function assertValidExpression(expression: string) {
  compile(expression);
}

export function evaluateExpression(expression: string, context: Record<string, unknown>): unknown {
  try {
    return toPlain(compile(expression)(context));
  } catch (error) {
    if (error instanceof Error && /No such key|no such key|Unknown variable/i.test(error.message)) return null;
    throw error;
  }
}

export function expressionMatches(expression: string | undefined, context: Record<string, unknown>): boolean {
  if (!expression) return true;
  try {
    return evaluateExpression(expression, context) === true;
  } catch {
    return false;
  }
}

/** A flow-control key as a string; no key expression, or a null/missing value, groups everything under "". */
export function evaluateKey(expression: string | undefined, context: Record<string, unknown>): string {
  if (!expression) return "";
  const value = evaluateExpression(expression, context);
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function toPlain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  return value;
}
