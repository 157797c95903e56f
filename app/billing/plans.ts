/** The paid plan, as the billing page shows it and Checkout charges it when no Stripe price id is configured. */
export const PRO_PLAN = { name: "Stepwise Pro", unitAmount: 1200, currency: "usd" } as const;
