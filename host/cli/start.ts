import { serve } from './commands/serve.js';

// `npm start`: the host, as `crmsync serve` runs it, with the exit status scripts already rely on.
await serve({ distinguishConfigurationErrors: false });
