"use server";

import { formFailure } from "@/app/admin/_components/form-state";
import { testBackendConnection, type ConnectionTestResult } from "@/gateway/console/test-connection";
import { requireAdmin } from "@/lib/auth/session";

export type TestState = { result?: ConnectionTestResult; message?: string } | null;

/** The console session holds no Keycloak access token, so token-exchange backends get a reachability check. */
export async function testBackendAction(id: string): Promise<TestState> {
  const admin = await requireAdmin();
  try {
    return { result: await testBackendConnection(id, { admin: { userId: admin.userId } }) };
  } catch (e) {
    return { message: formFailure(e).message };
  }
}
