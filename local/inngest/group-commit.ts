import type { Database } from "./store/database";

// Every SDK answer is applied in a transaction of its own, and each commit is a write-ahead-log flush: under
// load (a fan-out finishing hundreds of runs a second) the commits, not the work, were most of the cost. Answers
// that arrive while a commit is under way wait and are then applied together in one transaction (group
// commit), each in arrival order, so nothing is acknowledged before it is durable and a run's answers keep
// their order. If applying one of them fails, the group is rolled back and each is applied again on its own,
// so one bad answer never takes the others down with it: work must therefore be safe to run twice.
// `beforeCommit` runs once per transaction after its work, for what is cheaper done once for the whole group.

const MAX_PER_COMMIT = 64;

interface Pending<T> {
  work: (tx: Database) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Array<Pending<unknown>> = [];
  private committing = false;

  constructor(
    private readonly db: Database,
    private readonly beforeCommit: (tx: Database) => Promise<void> = async () => {},
  ) {}

  /** Runs `work` in a transaction shared with whatever else is waiting; resolves once it is committed. */
  run<T>(work: (tx: Database) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject } as Pending<unknown>);
      if (this.committing) return;
      // Drained after the event loop's next poll, not now: the embedded database runs a whole transaction in
      // microtasks, so answers whose responses are already in the socket buffers would otherwise each find no
      // commit under way and get one of their own.
      this.committing = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain() {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_PER_COMMIT);
        let results: unknown[];
        try {
          results = await this.db.transaction(async (tx) => {
            const done: unknown[] = [];
            for (const pending of group) done.push(await pending.work(tx));
            await this.beforeCommit(tx);
            return done;
          });
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else
            for (const pending of group)
              await this.db
                .transaction(async (tx) => {
                  const result = await pending.work(tx);
                  await this.beforeCommit(tx);
                  return result;
                })
                .then(pending.resolve, pending.reject);
          continue;
        }
        group.forEach((pending, index) => pending.resolve(results[index]));
      }
    } finally {
      this.committing = false;
    }
  }
}
