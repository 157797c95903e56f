import type { ApplyContext } from "./apply-outcome";
import { ingestEvents } from "./ingest";
import { runEnded } from "./runs";
import type { Database } from "./store/database";
import { endAnsweredRuns, type RunOutcome } from "./store/runs";
import type { InngestEvent, JobRow, RunRow } from "./types";

// What the answers applied in one group-commit transaction (group-commit.ts) leave to be done once for all of
// them. Under load most answers end their run (each child of a fan-out ends in its first request), and ending
// runs one statement each, with the events each ending emits stored one statement each, was most of the
// database's work per run. Here the endings are held back and applied in one statement, before anything else
// runs in the transaction (the next answer that does more than end its run, or the commit), so answers still take
// effect in the order they arrived. The events the endings emit are stored together when the transaction is about
// to commit, still in the transaction that recorded the endings.

interface HeldEnding {
  job: JobRow;
  run: RunRow;
  outcome: RunOutcome;
}

export class AnswerBatch {
  private readonly endings = new WeakMap<Database, HeldEnding[]>();
  private readonly lifecycleEvents = new WeakMap<Database, InngestEvent[]>();

  /** @param plainContextFor an ordinary context, whose `emit` stores events at once */
  constructor(private readonly plainContextFor: (tx: Database) => ApplyContext) {}

  /** The context answers are applied in: the events their runs emit on ending wait for the group's commit. */
  contextFor(tx: Database): ApplyContext {
    return { ...this.plainContextFor(tx), emit: async (inner, events) => this.emitLater(inner, events) };
  }

  /** Ends the answered request's run with the others held in this transaction (if its request is still queued). */
  async holdEnding(tx: Database, ending: HeldEnding) {
    // Two endings of one run (parallel steps failing together) are applied in turn: the first ends it.
    if (this.endings.get(tx)?.some((other) => other.run.run_id === ending.run.run_id)) await this.applyHeldEndings(tx);
    const held = this.endings.get(tx) ?? [];
    held.push(ending);
    this.endings.set(tx, held);
  }

  /** Applies the endings held so far; call before anything else reads or writes runs in the transaction. */
  async applyHeldEndings(tx: Database) {
    const held = this.endings.get(tx);
    if (!held) return;
    this.endings.delete(tx);
    const ctx = this.contextFor(tx);
    const now = ctx.clock.now();
    const ended = await endAnsweredRuns(
      tx,
      held.map(({ job, run, outcome }) => ({ jobId: job.id, runId: run.run_id, outcome })),
      now,
    );
    for (const { run, outcome } of held) if (ended.has(run.run_id)) await runEnded(ctx, run, outcome, now);
  }

  /** Stores events that runs ending in this transaction emit, with the rest of the group's, before it commits. */
  private emitLater(tx: Database, events: InngestEvent[]) {
    const pending = this.lifecycleEvents.get(tx) ?? [];
    this.lifecycleEvents.set(tx, pending.concat(events));
  }

  /** The group's last work: its held endings, then the events its endings emitted. */
  async beforeCommit(tx: Database) {
    await this.applyHeldEndings(tx);
    const events = this.lifecycleEvents.get(tx);
    if (!events) return;
    this.lifecycleEvents.delete(tx);
    await ingestEvents(this.plainContextFor(tx), events);
  }
}
