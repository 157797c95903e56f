// How long to wait before retrying a failed step: Inngest's table (15 s doubling to 2 h, plus up to 30 s of
// jitter), a fixed interval when `--retry-interval` is given, and the SDK's Retry-After when it sends one, kept
// within Inngest's bounds (`MinRetryDuration` 1 s and `MaxRetryDuration` 24 h in pkg/consts).

import { MAX_RETRY_DELAY_MS } from "./limits";

const MIN_RETRY_AFTER_MS = 1_000;

const TABLE_MS = [15, 30, 60, 120, 300, 600, 1_200, 2_400, 3_600, 7_200].map((s) => s * 1_000);

export interface RetryPolicy {
  /** Fixed seconds between retries, like `inngest-cli dev --retry-interval`. */
  intervalSeconds?: number;
}

export function retryDelayMs(attempt: number, policy: RetryPolicy, retryAfter: string | null, nowMs: number): number {
  const requested = parseRetryAfter(retryAfter, nowMs);
  if (requested !== null) return Math.min(MAX_RETRY_DELAY_MS, Math.max(MIN_RETRY_AFTER_MS, requested));
  if (policy.intervalSeconds !== undefined) return policy.intervalSeconds * 1_000;
  const base = TABLE_MS[Math.min(attempt, TABLE_MS.length - 1)]!;
  return base + Math.floor(Math.random() * 30_000);
}

function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
