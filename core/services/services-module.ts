import { ContainerModule } from 'inversify';
import { ConnectorService, ConnectorServiceImpl } from './connector-service.js';
import { FileExchangeService, FileExchangeServiceImpl } from './file-exchange-service.js';
import { PlanService, PlanServiceImpl } from './plan-service.js';
import { PluginService, PluginServiceImpl } from './plugin-service.js';
import { ServiceSettings } from './service-settings.js';
import { SyncService, SyncServiceImpl } from './sync-service.js';

/**
 * The application services the host, the CLI and tests use; loaded into the kernel's root
 * container beside `pipelineModule()` and a `StateStore`, which the plan service needs.
 */
export function servicesModule(settings: ServiceSettings): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ServiceSettings).toConstantValue(settings);
    bind(ConnectorService).to(ConnectorServiceImpl).inSingletonScope();
    bind(PluginService).to(PluginServiceImpl).inSingletonScope();
    bind(FileExchangeService).to(FileExchangeServiceImpl).inSingletonScope();
    bind(PlanService).to(PlanServiceImpl).inSingletonScope();
    bind(SyncService).to(SyncServiceImpl).inSingletonScope();
  });
}

/** Every application service, resolved once. */
export interface Services {
  connectors: ConnectorService;
  plugins: PluginService;
  files: FileExchangeService;
  plans: PlanService;
  sync: SyncService;
}

export function resolveServices(container: { get<T>(token: symbol): T }): Services {
  return {
    connectors: container.get<ConnectorService>(ConnectorService),
    plugins: container.get<PluginService>(PluginService),
    files: container.get<FileExchangeService>(FileExchangeService),
    plans: container.get<PlanService>(PlanService),
    sync: container.get<SyncService>(SyncService),
  };
}
