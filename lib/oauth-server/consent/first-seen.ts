// "Seen for the first time": nobody at this Gatehouse has a live approval (grant) of this client id.
// A client everyone uses (a metadata document URL such as Claude Code's) stops being new once anyone
// approves it; a dynamically registered client is new to each person who registers it, since each
// registration is its own client id. A revoked or expired approval no longer counts.
import { getDb } from "@/lib/db";

export async function isClientFirstSeen(clientId: string): Promise<boolean> {
  const approved = await getDb().oAuthModel.findFirst({
    where: {
      kind: "Grant",
      payload: { path: ["clientId"], equals: clientId },
      OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
    },
    select: { id: true },
  });
  return !approved;
}
