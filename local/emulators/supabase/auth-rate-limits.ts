import type { AuthRateLimits } from "./auth-config";
import { authError } from "./gotrue-errors";

/**
 * GoTrue's per-address limits (tollbooth token buckets): `perFiveMinutes` requests refill over five minutes and
 * at most 30 are held, so a quiet address can make 30 at once. The address is the leftmost value of the header
 * the gateway sets (`X-Forwarded-For`, GoTrue's `GOTRUE_RATE_LIMIT_HEADER`); a request without it is not
 * limited, as GoTrue does not limit one.
 */
class AddressBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private static readonly BURST = 30;

  constructor(
    private readonly perFiveMinutes: number,
    private readonly now: () => number,
  ) {}

  allow(address: string): boolean {
    const now = this.now();
    const perMs = this.perFiveMinutes / (5 * 60 * 1000);
    const bucket = this.buckets.get(address) ?? { tokens: AddressBuckets.BURST, at: now };
    bucket.tokens = Math.min(AddressBuckets.BURST, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(address, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** GoTrue's project-wide email limit: `perHour` mails in each hour since the limiter started (IntervalLimiter). */
class HourlyEmailLimit {
  private windowStart: number;
  private count = 0;

  constructor(
    private readonly perHour: number,
    private readonly now: () => number,
  ) {
    this.windowStart = now();
  }

  allow(): boolean {
    const hour = 60 * 60 * 1000;
    const elapsed = Math.floor((this.now() - this.windowStart) / hour);
    if (elapsed > 0) {
      this.windowStart += elapsed * hour;
      this.count = 0;
    }
    if (this.count >= this.perHour) return false;
    this.count += 1;
    return true;
  }
}

export type AddressLimit = "signInSignUps" | "tokenVerifications" | "tokenRefresh";

export function authRateLimiter(limits: AuthRateLimits, now: () => number) {
  const byAddress: Record<AddressLimit, AddressBuckets> = {
    signInSignUps: new AddressBuckets(limits.signInSignUps, now),
    tokenVerifications: new AddressBuckets(limits.tokenVerifications, now),
    tokenRefresh: new AddressBuckets(limits.tokenRefresh, now),
  };
  const email = limits.emailSentPerHour === null ? null : new HourlyEmailLimit(limits.emailSentPerHour, now);
  return {
    /** GoTrue's 429 for a request over its address's limit, or null. */
    checkAddress(limit: AddressLimit, request: Request): Response | null {
      const address = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
      if (!address || byAddress[limit].allow(address)) return null;
      return authError(429, "over_request_rate_limit", "Request rate limit reached");
    },
    /** Counts one mail against the project's hourly allowance; false when it is spent. */
    allowEmail(): boolean {
      return email === null || email.allow();
    },
  };
}

export type AuthRateLimiter = ReturnType<typeof authRateLimiter>;
