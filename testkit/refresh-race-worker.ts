// One more app process for the cross-replica refresh test (get-access-token.pg.test.ts): configured
// by its environment like the app, it waits for "go" on stdin, then asks the token broker for one
// link's token N times at once and prints what it got. Not shipped code.
import { flushAudit } from "@/lib/audit/record-audit";
import { closeDb, getDb } from "@/lib/db";
import { getAccessToken } from "@/lib/links/get-access-token";

const [userId = "", providerId = "", count = "1"] = process.argv.slice(2);
// Connected and loaded before the race starts, so the processes really start together.
await getDb().$queryRaw`SELECT 1`;
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const results = await Promise.allSettled(Array.from({ length: Number(count) }, () => getAccessToken({ userId, providerId })));
const tokens = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.accessToken] : []));
const errors = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
process.stdout.write(JSON.stringify({ tokens, errors }) + "\n");
await flushAudit();
await closeDb();
process.exit(0);
