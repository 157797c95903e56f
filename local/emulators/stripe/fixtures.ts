import { readFile } from "node:fs/promises";
import type { FetchHandler } from "../../http/serve-fetch-handler";

interface FixtureFile {
  fixtures: Array<{ name: string; path: string; method?: string; params?: Record<string, unknown> }>;
}

/** `{ metadata: { a: 1 } }` → `metadata[a]=1`: the form encoding Stripe's API reads. */
export function encodeStripeForm(params: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(params).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value !== null && typeof value === "object") return encodeStripeForm(value as Record<string, unknown>, name);
    return [`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`];
  });
}

/**
 * Runs a `stripe fixtures` file (the Stripe CLI's format: requests in order, `${name:path}` naming a field of an
 * earlier response) against the emulator, so the same file seeds a real test account with
 * `stripe fixtures <file>`. Each request carries an idempotency key of its fixture's name: running the file
 * again on the same data creates nothing twice and sends no second round of webhooks.
 */
export async function runStripeFixtures(handler: FetchHandler, origin: string, apiKey: string, file: string) {
  const { fixtures } = JSON.parse(await readFile(file, "utf8")) as FixtureFile;
  const responses = new Map<string, Record<string, unknown>>();
  const resolve = (value: unknown): unknown => {
    if (typeof value === "string")
      return value.replace(/\$\{(\w+):([\w.]+)\}/g, (_match, name: string, path: string) => {
        const source = responses.get(name);
        if (!source) throw new Error(`Fixture ${name} is used before it is defined`);
        return String(path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], source));
      });
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
    return value;
  };
  for (const fixture of fixtures) {
    const response = await handler(
      new Request(`${origin}${fixture.path}`, {
        method: (fixture.method ?? "post").toUpperCase(),
        headers: {
          authorization: `Bearer ${apiKey}`,
          "content-type": "application/x-www-form-urlencoded",
          "idempotency-key": `fixture-${fixture.name}`,
        },
        body: encodeStripeForm(resolve(fixture.params ?? {}) as Record<string, unknown>).join("&"),
      }),
    );
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`Fixture ${fixture.name} failed: ${JSON.stringify(body)}`);
    responses.set(fixture.name, body);
  }
  return responses;
}
