import { ContainerModule } from 'inversify';

// Contributions are bound here as they are built; until then the kernel reports each
// declared contribution as not bound, naming this plugin.
export const bindings = new ContainerModule(() => {});
