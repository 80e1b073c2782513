import { ContainerModule } from 'inversify';
import { ContactFileImporter, ExportOption, GroupwareConnector, PluginContext } from '../../../core/index.js';
import { VcardOutlookExport } from './export/vcard-outlook-export.js';
import { VcardSingleExport } from './export/vcard-single-export.js';
import { configOf, folderOptions, outlookFolderOf } from './plugin-options.js';
import { VcardFileImporter } from './vcard-file-importer.js';
import { VcardFolderConnector } from './vcard-folder-connector.js';

export { VcardOutlookExport, type VcardOutlookExportOptions } from './export/vcard-outlook-export.js';
export { VcardSingleExport } from './export/vcard-single-export.js';
export { VcardFileImporter } from './vcard-file-importer.js';
export { VcardFolderConnector, type VcardFolderOptions } from './vcard-folder-connector.js';

// Each contribution is built from the settings it needs alone: a bad `folder` costs the
// connector, never the exports or the importer.
export const bindings = new ContainerModule(({ bind }) => {
  // Each folder is an account; the contribution is the first, the default.
  bind(GroupwareConnector)
    .toDynamicValue((ctx) => {
      const accounts: VcardFolderConnector[] = [];
      for (const options of folderOptions(ctx.get<PluginContext>(PluginContext)))
        accounts.push(new VcardFolderConnector({ ...options, accounts: () => accounts }));
      return accounts[0]!;
    })
    .inSingletonScope()
    .whenNamed('vcard-file');
  bind(ContactFileImporter)
    .toDynamicValue((ctx) => {
      const { maxCardBytes, maxPhotoBytes } = configOf(ctx.get<PluginContext>(PluginContext));
      return new VcardFileImporter({ maxCardBytes, maxPhotoBytes });
    })
    .inSingletonScope()
    .whenNamed('vcard-file');
  bind(ExportOption)
    .toDynamicValue(() => new VcardOutlookExport())
    .inSingletonScope()
    .whenNamed('vcard-outlook');
  bind(ExportOption)
    .toDynamicValue((ctx) => new VcardSingleExport(configOf(ctx.get<PluginContext>(PluginContext)).version))
    .inSingletonScope()
    .whenNamed('vcard-single');
  bind(ExportOption)
    .toDynamicValue(
      (ctx) =>
        new VcardOutlookExport({ targetFolder: outlookFolderOf(ctx.get<PluginContext>(PluginContext)) }),
    )
    .inSingletonScope()
    .whenNamed('vcard-outlook-folder');
});
