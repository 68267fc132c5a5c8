// Named steps of a refresh, where the crash tests (testkit/refresh-kill-worker.ts) kill the process
// to prove no step loses the link. No hook is set in the app: each step is one comparison.
import { singleton } from "@/lib/singleton";

export type RefreshStep = "claimed" | "read" | "persisted" | "released";

const hook = singleton("links.refreshStepHook", () => ({ current: undefined as ((step: RefreshStep) => void) | undefined }));

export function refreshStep(step: RefreshStep): void {
  hook.current?.(step);
}

/** Tests only: runs `fn` at each step (a kill, a pause). */
export function setRefreshStepHook(fn: ((step: RefreshStep) => void) | undefined): void {
  hook.current = fn;
}
