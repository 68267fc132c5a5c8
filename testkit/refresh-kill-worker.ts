// One more app process for the refresh crash test (refresh-crash.pg.test.ts): configured by its
// environment like the app, it asks the token broker for one link's token and kills itself
// (SIGKILL: no cleanup, as a crashed replica) at the named refresh step. Not shipped code.
import { getDb } from "@/lib/db";
import { getAccessToken } from "@/lib/links/get-access-token";
import { setRefreshStepHook, type RefreshStep } from "@/lib/links/refresh-steps";

const [userId = "", providerId = "", killAt = ""] = process.argv.slice(2);
await getDb().$queryRaw`SELECT 1`;
setRefreshStepHook((step: RefreshStep) => {
  if (step === killAt) process.kill(process.pid, "SIGKILL");
});
await getAccessToken({ userId, providerId }).catch(() => undefined);
process.stdout.write("not killed\n");
process.exit(0);
