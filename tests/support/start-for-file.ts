import { afterAll, beforeAll } from "vitest";
import type { TestStack } from "../../harness/test-stack";

/**
 * Starts something once before a test file's tests and stops it after them (the test stack, a step's services).
 * The object returned stands for it from the first test on; touching it at module load is an error, since it has
 * not started yet. Later `beforeAll`s in the file see it started; later `afterAll`s run before it stops.
 */
export function startForFile<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!started) throw new Error(`startForFile: read .${String(key)} before the file's beforeAll started it`);
      const value = Reflect.get(started, key);
      return typeof value === "function" ? value.bind(started) : value;
    },
  });
}

/**
 * Stops the stack's executor for the rest of the file, so what the test wrote stays where the request left it
 * (an order stays 'placed', a charged order is not shipped); the file's own teardown then skips it.
 */
export async function holdWorkflows(stack: TestStack): Promise<void> {
  await stack.executor.stop();
  stack.executor.stop = async () => {};
}
