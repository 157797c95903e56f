/**
 * Decodes Stripe's form-encoded request bodies (`metadata[user_id]=u`, `line_items[0][quantity]=1`,
 * `expand[]=x`) into nested objects and arrays, the way Stripe's API reads them.
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      const nextIsIndex = !last && (path[i + 1] === "" || /^\d+$/.test(path[i + 1]!));
      const key: string | number =
        segment === ""
          ? (node as unknown[]).length
          : /^\d+$/.test(segment) && Array.isArray(node)
            ? Number(segment)
            : segment;
      const container = node as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as Record<string, unknown> | unknown[];
      }
    }
  }
  return root;
}
