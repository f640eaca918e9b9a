import { describe, expect, it } from 'vitest';
import { postalAddressSection } from '../../../src/web/app/pages/customer-postal-address.js';

describe('the postal address on the customer page', () => {
  it('writes each line of the address, escaped, one under another', () => {
    const markup = postalAddressSection([
      'Unit 4 <b>&</b> Co',
      '12 Dock Road',
      'Bristol',
      'BS1 4DJ',
    ]).toString();
    expect(markup).toContain('<h3 id="postal-address">Postal address</h3>');
    expect(markup).toContain(
      'Unit 4 &#60;b&#62;&#38;&#60;/b&#62; Co<br>12 Dock Road<br>Bristol<br>BS1 4DJ</address>',
    );
    expect(markup).not.toContain('<b>');
  });

  it('says there is none in the books when the address is empty or unknown', () => {
    for (const lines of [[], undefined])
      expect(postalAddressSection(lines).toString()).toContain('None in your books');
  });
});
