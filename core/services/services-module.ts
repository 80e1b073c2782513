import { ContainerModule } from 'inversify';
import { AccessService, AccessServiceImpl } from './access/access-service.js';
import { ConnectorService, ConnectorServiceImpl } from './connector-service.js';
import { FileExchangeService, FileExchangeServiceImpl } from './file-exchange-service.js';
import { GroupwareAccounts, GroupwareAccountsImpl } from './groupware-accounts.js';
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
    bind(GroupwareAccounts).to(GroupwareAccountsImpl).inSingletonScope();
    bind(PluginService).to(PluginServiceImpl).inSingletonScope();
    bind(FileExchangeService).to(FileExchangeServiceImpl).inSingletonScope();
    bind(PlanService).to(PlanServiceImpl).inSingletonScope();
    bind(SyncService).to(SyncServiceImpl).inSingletonScope();
    bind(AccessService).to(AccessServiceImpl).inSingletonScope();
  });
}

/** Every application service, resolved once. */
export interface Services {
  connectors: ConnectorService;
  accounts: GroupwareAccounts;
  plugins: PluginService;
  files: FileExchangeService;
  plans: PlanService;
  sync: SyncService;
  access: AccessService;
}

export function resolveServices(container: { get<T>(token: symbol): T }): Services {
  return {
    connectors: container.get<ConnectorService>(ConnectorService),
    accounts: container.get<GroupwareAccounts>(GroupwareAccounts),
    plugins: container.get<PluginService>(PluginService),
    files: container.get<FileExchangeService>(FileExchangeService),
    plans: container.get<PlanService>(PlanService),
    sync: container.get<SyncService>(SyncService),
    access: container.get<AccessService>(AccessService),
  };
}
