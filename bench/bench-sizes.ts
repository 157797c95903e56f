/** Sizes shared by the executor benchmark and the app it drives. */
export const STEPS = 50;
export const FAN_OUT = 1_000;
