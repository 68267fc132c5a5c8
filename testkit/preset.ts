// Imported first by every test stack: some modules (the logger) read the configuration when they
// load, before a test can start the world it points at. startTestApp() then sets the real values.
import { setEnvForTests } from "@/lib/env";

setEnvForTests({
  NODE_ENV: "test",
  KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/pending",
  KEYCLOAK_CLIENT_ID: "gatehouse",
  KEYCLOAK_CLIENT_SECRET: "pending",
  LOG_LEVEL: "silent",
});
