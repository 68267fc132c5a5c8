// Whether users may create and use personal access tokens: an admin's switch in the console,
// stored in the Setting table (absent: on). The gateway learns of a change through the same poll as
// revocations (lib/personal-access-tokens/accepted-tokens.ts), so it holds on every replica within
// OAUTH_REVOCATION_POLL_MS; this replica applies it at once.
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { setPersonalAccessTokensAccepted } from "@/lib/personal-access-tokens/accepted-tokens";
import { PAT_SETTING_KEY, patSettingValue } from "@/lib/settings/personal-access-tokens-setting";

export async function getPersonalAccessTokensEnabled(): Promise<boolean> {
  const row = await getDb().setting.findUnique({ where: { key: PAT_SETTING_KEY }, select: { value: true } });
  return patSettingValue(row?.value);
}

export async function setPersonalAccessTokensEnabled(enabled: boolean, actor: { userId: string }): Promise<void> {
  await getDb().setting.upsert({
    where: { key: PAT_SETTING_KEY },
    create: { key: PAT_SETTING_KEY, value: { enabled }, updatedBy: actor.userId },
    update: { value: { enabled }, updatedBy: actor.userId },
  });
  setPersonalAccessTokensAccepted(enabled);
  recordAudit({ action: "admin.personal_access_tokens.setting", outcome: "success", userId: actor.userId, detail: { enabled } });
}
