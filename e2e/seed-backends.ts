// Seeds the backends (one per outgoing auth mode). Filled in by the admin console work.
import type { World } from "./world";
import type { SeededProviders } from "./seed-providers";

export async function seedBackends(_world: World, _providers: SeededProviders): Promise<void> {}
