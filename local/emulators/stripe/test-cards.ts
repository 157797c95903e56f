/**
 * Stripe's documented test cards (docs.stripe.com/testing) and what each does when charged. Every card has its
 * own last four digits, so a saved PaymentMethod keeps its behaviour through `card.last4` alone, and each has the
 * test PaymentMethod id (`pm_card_*`) that real Stripe accepts in test mode for the same card.
 */
export interface TestCard {
  number: string;
  paymentMethod: string;
  brand: string;
  last4: string;
  /** What a charge does: succeed, fail with a card error, or need the cardholder to authenticate (3D Secure). */
  charge: "succeeds" | "declined" | "authentication";
  /** For authentication cards: whether a payment off-session, after the card was set up, still needs it. */
  offSessionNeedsAuthentication?: boolean;
  /** A declined card that can still be saved to a customer, failing only when charged (4000 0000 0000 0341). */
  savesButDeclines?: boolean;
  decline?: { code: string; decline_code: string; message: string };
}

const GENERIC_DECLINE = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };

export const TEST_CARDS: TestCard[] = [
  { number: "4242424242424242", paymentMethod: "pm_card_visa", brand: "visa", last4: "4242", charge: "succeeds" },
  {
    number: "5555555555554444",
    paymentMethod: "pm_card_mastercard",
    brand: "mastercard",
    last4: "4444",
    charge: "succeeds",
  },
  {
    number: "4000000000000002",
    paymentMethod: "pm_card_chargeDeclined",
    brand: "visa",
    last4: "0002",
    charge: "declined",
    decline: GENERIC_DECLINE,
  },
  {
    number: "4000000000009995",
    paymentMethod: "pm_card_visa_chargeDeclinedInsufficientFunds",
    brand: "visa",
    last4: "9995",
    charge: "declined",
    decline: {
      code: "card_declined",
      decline_code: "insufficient_funds",
      message: "Your card has insufficient funds.",
    },
  },
  {
    number: "4000000000000341",
    paymentMethod: "pm_card_chargeCustomerFail",
    brand: "visa",
    last4: "0341",
    charge: "declined",
    savesButDeclines: true,
    decline: GENERIC_DECLINE,
  },
  {
    number: "4000002500003155",
    paymentMethod: "pm_card_authenticationRequiredOnSetup",
    brand: "visa",
    last4: "3155",
    charge: "authentication",
    offSessionNeedsAuthentication: false,
  },
  {
    number: "4000002760003184",
    paymentMethod: "pm_card_authenticationRequired",
    brand: "visa",
    last4: "3184",
    charge: "authentication",
    offSessionNeedsAuthentication: true,
  },
];

export const cardByNumber = (number: string) => TEST_CARDS.find((card) => card.number === number);
export const cardByPaymentMethod = (id: string) => TEST_CARDS.find((card) => card.paymentMethod === id);
export const cardByLast4 = (last4: string) => TEST_CARDS.find((card) => card.last4 === last4);

/** The outcome of charging `card`: null when it succeeds, else the card error Stripe would answer. */
export function chargeOutcome(
  card: TestCard,
  { offSession, saved }: { offSession: boolean; saved: boolean },
): null | { code: string; decline_code?: string; message: string } {
  if (card.charge === "succeeds") return null;
  if (card.charge === "declined") return card.decline!;
  if (offSession && saved && !card.offSessionNeedsAuthentication) return null;
  return {
    code: "authentication_required",
    decline_code: "authentication_required",
    message: "Your card was declined. This transaction requires authentication.",
  };
}

/** The card error saving `card` for later (Checkout setup mode, the portal's "replace card") meets, or null. */
export function setupOutcome(card: TestCard): null | { code: string; decline_code?: string; message: string } {
  if (card.charge === "authentication") return chargeOutcome(card, { offSession: false, saved: false });
  return card.charge === "declined" && !card.savesButDeclines ? card.decline! : null;
}

/** Luhn check, as Stripe's card field applies before it sends anything. */
export function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return number.length >= 12 && sum % 10 === 0;
}
