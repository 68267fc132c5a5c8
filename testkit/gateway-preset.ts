// Imported first by gateway-test-stack.ts: the logger reads the configuration when it loads, before a
// test can start the world it points at. startGatewayTestStack() then sets the real values.
import { setEnvForTests } from "@/lib/env";

setEnvForTests({ NODE_ENV: "test", KEYCLOAK_ISSUER: "http://127.0.0.1:9/realms/pending", KEYCLOAK_CLIENT_ID: "gatehouse", KEYCLOAK_CLIENT_SECRET: "pending", LOG_LEVEL: "silent" });
