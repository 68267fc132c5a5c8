// One instance per process, shared by Next's bundled server code and server.ts (which load separate
// copies of each module): the database client, caches and the audit queue live on globalThis.
export function singleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`gatehouse.${name}`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return (holder[key] ??= create());
}
