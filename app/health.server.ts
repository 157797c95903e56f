import { database } from "./db.server";

export interface Health {
  db: "ok" | "unreachable";
  migration: string | null;
  time: string;
}

const HEALTH_TIMEOUT_MS = 3_000;

/** Whether the database answers, and the latest migration it has applied (as `supabase migration list` shows). */
export async function readHealth(): Promise<Health> {
  const time = new Date().toISOString();
  try {
    const query = database()`select max(version) as version from supabase_migrations.schema_migrations`;
    const [row] = await withTimeout(query, HEALTH_TIMEOUT_MS, "the database did not answer within 3 s");
    return { db: "ok", migration: (row?.version as string | undefined) ?? null, time };
  } catch (error) {
    // The driver's message can name the host, user or database: it goes to the log, never to the public answer.
    console.error(`healthz: the database is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    return { db: "unreachable", migration: null, time };
  }
}

function withTimeout<T>(promise: PromiseLike<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}
