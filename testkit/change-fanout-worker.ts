// Another app replica for the change fan-out test (change-fanout.pg.test.ts): configured by its
// environment like the app, listening on the change bus, it answers one line per command read on
// stdin — `token <userId> <providerId>` asks the token broker (cache first, as the gateway does).
// Not shipped code.
import { createInterface } from "node:readline";
import { bus } from "@/lib/bus/bus";
import { closeDb, getDb } from "@/lib/db";
import { onChange } from "@/lib/events";
import { getAccessToken } from "@/lib/links/get-access-token";

await getDb().$queryRaw`SELECT 1`;
// Joins the bus (as the gateway's caches do on first use) and waits until it listens.
onChange(() => undefined);
await bus().ready();
process.stdout.write("ready\n");

for await (const line of createInterface({ input: process.stdin })) {
  const [command, userId = "", providerId = ""] = line.trim().split(" ");
  if (command !== "token") break;
  const answer = await getAccessToken({ userId, providerId }).then(
    (t) => ({ token: t.accessToken }),
    (e: unknown) => ({ error: (e as Error).message }),
  );
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await closeDb();
process.exit(0);
