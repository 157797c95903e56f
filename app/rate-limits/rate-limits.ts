/** One rule: at most `limit` requests per `windowSeconds` for each account, or for each client address. */
export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

/**
 * What the app lets one account and one address do. Sign-in counts every attempt, so a guessed password costs
 * the guesser; an address's allowance is wider than an account's because many people can share one (an office,
 * a phone network).
 */
export const RATE_LIMITS = {
  "sign-in": {
    account: { limit: 10, windowSeconds: 15 * 60 },
    address: { limit: 50, windowSeconds: 15 * 60 },
  },
  "sign-up": {
    account: { limit: 3, windowSeconds: 60 * 60 },
    address: { limit: 10, windowSeconds: 60 * 60 },
  },
  reset: {
    account: { limit: 3, windowSeconds: 60 * 60 },
    address: { limit: 10, windowSeconds: 60 * 60 },
  },
  search: { account: { limit: 60, windowSeconds: 60 } },
  upload: { account: { limit: 30, windowSeconds: 60 * 60 } },
  order: { account: { limit: 30, windowSeconds: 60 * 60 } },
  subscribe: { account: { limit: 10, windowSeconds: 60 * 60 } },
} satisfies Record<string, { account: RateLimitRule; address?: RateLimitRule }>;

export type RateLimitedAction = keyof typeof RATE_LIMITS;

/** "3 minutes", "1 hour": when to try again, in words for a form. */
export function retryAfterInWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "1 hour" : `${hours} hours`;
}
