/**
 * Fault injection shared by the emulators: `POST /__faults { "status": 500, "count": 2, "retryAfter": 1 }` makes
 * the next `count` API requests fail with that status (and Retry-After), so reliability tests can show that
 * retries recover without doing anything twice.
 */
export class FaultInjector {
  private pending: Array<{ status: number; retryAfter?: number }> = [];

  arm(status: number, count = 1, retryAfter?: number) {
    for (let i = 0; i < count; i++) this.pending.push({ status, retryAfter });
  }

  /** The fault to answer this request with, if one is armed. */
  take(): { status: number; retryAfter?: number } | undefined {
    return this.pending.shift();
  }

  async handleControl(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => ({}))) as { status?: number; count?: number; retryAfter?: number };
    if (!body.status || body.status < 400) {
      return Response.json({ error: 'send { "status": 500, "count": 2, "retryAfter": 1 }' }, { status: 400 });
    }
    this.arm(body.status, body.count ?? 1, body.retryAfter);
    return Response.json({ armed: this.pending.length });
  }
}
