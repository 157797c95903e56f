import type { InngestFunction } from "inngest";

/** Every function the app serves at /api/inngest. One file per function under ./functions. */
export const functions: InngestFunction.Any[] = [];
