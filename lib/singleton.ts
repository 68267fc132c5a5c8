// One instance per process, shared by Next's bundled server code and server.ts (which load separate
// copies of each module): the database client, caches and the audit queue live on globalThis.
export function singleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`gatehouse.${name}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return (holder[key] ??= create());
}

/** Drops instances so the next call creates them afresh (tests that change the configuration). */
export function forgetSingletons(...names: string[]): void {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  for (const name of names) delete holder[Symbol.for(`gatehouse.${name}`)];
}
