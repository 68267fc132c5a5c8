// One more app process for the cross-replica test of kept Keycloak sign-ins
// (lib/oauth-server/idp-access-token.pg.test.ts): configured by its environment like the app, it
// waits for "go" on stdin, then asks for one user's Keycloak access token N times at once and
// prints what it got. Not shipped code.
import { closeDb, getDb } from "@/lib/db";
import { idpAccessTokenFor } from "@/lib/oauth-server/idp-refresh-token";

const [userId = "", count = "1"] = process.argv.slice(2);
// Connected and loaded before the race starts, so the processes really start together.
await getDb().$queryRaw`SELECT 1`;
process.stdout.write("ready\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const results = await Promise.allSettled(Array.from({ length: Number(count) }, () => idpAccessTokenFor(userId)));
const tokens = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
const errors = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
process.stdout.write(JSON.stringify({ tokens, errors }) + "\n");
await closeDb();
process.exit(0);
