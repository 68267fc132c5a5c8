// One instance per process, shared by Next's bundled server code and server.ts (which load separate
// copies of each module): the database client, caches and the audit queue live on globalThis.
//
// A singleton built from the configuration or holding data read from the database says how to reset
// it; resetSingletons() runs every such reset, so a test that changes the configuration or installs a
// new database starts from clean caches.
export type OnReset<T> = "recreate" | ((value: T) => void);

const holder = globalThis as unknown as Record<symbol, unknown>;
const RESETS = Symbol.for("gatehouse.singleton.resets");
const resets = (holder[RESETS] ??= new Map<string, () => void>()) as Map<string, () => void>;

/**
 * `onReset`: "recreate" for an instance read through a function on every use (the next call builds
 * it afresh); a function to empty an instance that modules keep a reference to.
 */
export function singleton<T>(name: string, create: () => T, onReset?: OnReset<T>): T {
  const key = Symbol.for(`gatehouse.${name}`);
  const value = (holder[key] ??= create()) as T;
  if (onReset && !resets.has(name)) {
    resets.set(name, () => {
      if (onReset === "recreate") delete holder[key];
      else if (holder[key] !== undefined) onReset(holder[key] as T);
    });
  }
  return value;
}

/** Resets every singleton that registered how (configuration changed, another database installed). */
export function resetSingletons(): void {
  for (const reset of resets.values()) reset();
}
