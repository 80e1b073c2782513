import { ContainerModule } from 'inversify';
import { DedupeRule, PartnerResolver, PluginContext } from '../../../core/index.js';
import { CompanyNameResolver } from './company-name-resolver.js';
import { EmailDomainResolver } from './email-domain-resolver.js';
import { configOf } from './plugin-options.js';
import { PossiblePersonRule } from './possible-person-rule.js';
import { SureEmailRule } from './sure-email-rule.js';
import { SureSurnameMobileRule } from './sure-surname-mobile-rule.js';

export { CompanyNameResolver } from './company-name-resolver.js';
export { EmailDomainResolver } from './email-domain-resolver.js';
export { isFreeMailDomain } from './free-mail-domains.js';
export { companyKey } from './legal-forms.js';
export { PossiblePersonRule } from './possible-person-rule.js';
export { SureEmailRule } from './sure-email-rule.js';
export { SureSurnameMobileRule } from './sure-surname-mobile-rule.js';

const regionOf = (ctx: { get<T>(token: symbol): T }) =>
  configOf(ctx.get<PluginContext>(PluginContext)).defaultRegion;

export const bindings = new ContainerModule(({ bind }) => {
  bind(DedupeRule)
    .toDynamicValue(() => new SureEmailRule())
    .inSingletonScope()
    .whenNamed('sure-email');
  bind(DedupeRule)
    .toDynamicValue((ctx) => new SureSurnameMobileRule(regionOf(ctx)))
    .inSingletonScope()
    .whenNamed('sure-surname-mobile');
  bind(DedupeRule)
    .toDynamicValue((ctx) => new PossiblePersonRule(regionOf(ctx)))
    .inSingletonScope()
    .whenNamed('possible-person');
  bind(PartnerResolver)
    .toDynamicValue(() => new EmailDomainResolver())
    .inSingletonScope()
    .whenNamed('email-domain');
  bind(PartnerResolver)
    .toDynamicValue(() => new CompanyNameResolver())
    .inSingletonScope()
    .whenNamed('company-name');
});
