// Inngest Cloud's limits (docs: "Usage Limits"; values from pkg/consts/consts.go), enforced with the names and
// messages Inngest's executor uses, so code that would fail in Cloud fails locally too.

/** `DefaultMaxStepLimit`. */
export const MAX_STEPS_PER_RUN = 1_000;
/** `MaxStepOutputSize`: what one step (or the function) may return. */
export const MAX_STEP_OUTPUT_BYTES = 4 * 1024 * 1024;
/** `DefaultMaxStateSizeLimit`: events, step results and the function's result of one run together. */
export const MAX_RUN_STATE_BYTES = 32 * 1024 * 1024;
/** Cloud's maximum event size on the free plan ("Durable Execution limits"); paid plans allow 3 MiB. */
export const MAX_EVENT_BYTES = 256 * 1024;
/** `DefaultMaxEventSize`: one Event API request. */
export const MAX_EVENT_REQUEST_BYTES = 512 * 1024;
/** `MaxRetryDuration`: a retry (Retry-After included) is never scheduled further out than this. */
export const MAX_RETRY_DELAY_MS = 24 * 3_600_000;
/** Inngest waits this long for an SDK request before it counts as failed ("Usage Limits": steps, 2 hours). */
export const SDK_REQUEST_TIMEOUT_MS = 2 * 3_600_000;

export function stepLimitError() {
  return {
    name: "InngestErrFunctionOverflowed",
    message: `The function run exceeded the step limit of ${MAX_STEPS_PER_RUN} steps.`,
  };
}

export function stateOverflowError() {
  return {
    name: "InngestErrStateOverflowed",
    message: `The function run exceeded the state size limit of ${MAX_RUN_STATE_BYTES} bytes.`,
  };
}

export function stepOutputTooLargeError(stepId: string, bytes: number) {
  return {
    name: "Error",
    message: `error validating generator opcode ${stepId}: step output size is greater than the limit (${bytes} bytes; steps may return at most ${MAX_STEP_OUTPUT_BYTES} bytes)`,
  };
}
