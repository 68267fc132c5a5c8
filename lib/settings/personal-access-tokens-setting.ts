// The stored shape of the personal access tokens switch (a Setting row; absent or unreadable: on).
import { z } from "zod";

export const PAT_SETTING_KEY = "personal_access_tokens.enabled";
const valueSchema = z.object({ enabled: z.boolean() });

export function patSettingValue(value: unknown): boolean {
  const parsed = valueSchema.safeParse(value);
  return parsed.success ? parsed.data.enabled : true;
}
