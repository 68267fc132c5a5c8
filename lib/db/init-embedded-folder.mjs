// Runs initdb for a new embedded (PGlite) data folder, then exits. Started as a short-lived child by
// lib/db/client.ts: PGlite's initdb grows the WebAssembly heap to ~800 MB, and WebAssembly memory
// never shrinks, so doing it in the app's own process would keep that memory for its whole life.
// Plain JavaScript so it runs without tsx, from the source tree and from a deployed image alike.
import { PGlite } from "@electric-sql/pglite";

const [folder, ...startParams] = process.argv.slice(2);
if (!folder) {
  console.error("usage: init-embedded-folder.mjs <folder> [postgres start params…]");
  process.exit(2);
}
const db = new PGlite(folder, { startParams: startParams.length ? startParams : PGlite.defaultStartParams });
await db.waitReady;
await db.close();
