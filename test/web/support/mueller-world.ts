import { ApiWorld } from '../../api/support/api-world.js';

/** A host on the reference CRM with the business partner most cases begin with, Müller & Söhne GmbH (GP-0001). */
export async function openWithMuellerSoehne(options: { accounts?: number } = {}): Promise<ApiWorld> {
  const api = await ApiWorld.open('vcard', options);
  api.world.addPartner({ id: 'GP-0001', name: 'Müller & Söhne GmbH', emailDomains: ['mueller-soehne.de'] });
  return api;
}
