// First start on an empty embedded-database folder: initdb runs in a short-lived child process, so
// this process never holds initdb's ~800 MB WebAssembly heap (WebAssembly memory never shrinks).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

const parent = mkdtempSync(path.join(tmpdir(), "gatehouse-first-start-"));
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

describe("[db] first start of the embedded database", () => {
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it("creates and migrates a new folder without this process's memory taking initdb's peak", async () => {
    const before = peakRssMb();
    const db = createDb({ dataDir: path.join(parent, "pglite") });
    try {
      await migrate(db);
      expect(await db.prisma.user.count()).toBe(0);
    } finally {
      await db.close();
    }
    // In-process initdb raises the peak by ~700 MB; opening an existing folder by ~100 MB.
    expect(peakRssMb() - before).toBeLessThan(350);
  }, 180_000);

  it("reopens the folder it created, with its data", async () => {
    const folder = path.join(parent, "pglite");
    const db = createDb({ dataDir: folder });
    try {
      expect(await db.prisma.user.count()).toBe(0);
    } finally {
      await db.close();
    }
  }, 60_000);
});
