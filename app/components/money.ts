const formats = new Map<string, Intl.NumberFormat>();

/** Cents as a price a person reads: 1800, "usd" → "$18.00". */
export function formatMoney(cents: number, currency = "usd"): string {
  const code = currency.toUpperCase();
  // Building a NumberFormat costs far more than formatting with one, and a page formats many prices.
  let format = formats.get(code);
  if (!format) formats.set(code, (format = new Intl.NumberFormat("en-US", { style: "currency", currency: code })));
  return format.format(cents / 100);
}
