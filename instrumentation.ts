// Next calls register() once per server process (next start, next dev, and our server.ts):
// check configuration and apply pending migrations before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startUp } = await import("@/lib/start-up");
  await startUp();
}
