import { cardByNumber, passesLuhn, type TestCard } from "./test-cards";

export type CardEntry = { card: TestCard; expiry: { month: number; year: number } };

/**
 * Reads the card fields of a hosted page as Stripe's card element checks them, answering with Stripe's own
 * messages: incomplete or invalid numbers, expiry in the past, a missing CVC, and real cards in test mode.
 */
export function readCardForm(form: URLSearchParams, today = new Date()): CardEntry | { error: string } {
  const number = (form.get("card") ?? "").replace(/\D/g, "");
  if (number.length < 15) return { error: "Your card number is incomplete." };
  if (!passesLuhn(number)) return { error: "Your card number is invalid." };
  const expiry = /^\s*(\d{1,2})\s*\/?\s*(\d{2})\s*$/.exec(form.get("exp") ?? "");
  if (!expiry) return { error: "Your card's expiration date is incomplete." };
  const month = Number(expiry[1]);
  const year = 2000 + Number(expiry[2]);
  if (month < 1 || month > 12) return { error: "Your card's expiration date is invalid." };
  if (year < today.getUTCFullYear()) return { error: "Your card's expiration year is in the past." };
  if (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1)
    return { error: "Your card's expiration date is in the past." };
  if (!/^\d{3,4}$/.test((form.get("cvc") ?? "").trim())) return { error: "Your card's security code is incomplete." };
  const card = cardByNumber(number);
  if (!card) return { error: "Your card was declined. Your request was in test mode, but used a non test card." };
  return { card, expiry: { month, year } };
}

/** The hidden fields that carry a card entry across the authentication page. */
export const cardEntryFields = (entry: CardEntry) =>
  `<input type="hidden" name="card" value="${entry.card.number}"><input type="hidden" name="exp" value="${String(entry.expiry.month).padStart(2, "0")}/${String(entry.expiry.year).slice(2)}"><input type="hidden" name="cvc" value="000">`;
