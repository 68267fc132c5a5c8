// Screenshots of a page at desktop and phone widths, for a person to check before landing: written
// to SHOTS_DIR when it is set (never into the repository), else skipped.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

export async function shootPage(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
