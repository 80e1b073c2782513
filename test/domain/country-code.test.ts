import { expect } from 'chai';
import { countryCode } from '../../core/index.js';

describe('Country names read as ISO codes', () => {
  it('reads the names address books use in German, English and French, in any case, with umlauts or without', () => {
    expect(
      [
        'Deutschland',
        'Germany',
        'Allemagne',
        'ÖSTERREICH',
        'oesterreich',
        'Schweiz',
        'Suisse',
        'Österreich',
      ].map(countryCode),
    ).to.deep.equal(['DE', 'DE', 'DE', 'AT', 'AT', 'CH', 'CH', 'AT']);
  });

  it('reads everyday short forms no locale lists, and codes as they are', () => {
    expect(['USA', 'UK', 'Holland', 'de', ' NL ', 'XK'].map(countryCode)).to.deep.equal([
      'US',
      'GB',
      'NL',
      'DE',
      'NL',
      'XK',
    ]);
  });

  it('names no country for a word that is none, a private-use code or a grouping of countries', () => {
    expect(['Atlantis', 'ZZ', 'QO', 'EU', 'Europa', ''].map(countryCode)).to.deep.equal([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
