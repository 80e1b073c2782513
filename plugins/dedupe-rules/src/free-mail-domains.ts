/**
 * Domains where anyone can get an address: a contact's address there says nothing about the
 * company they work for, and two people sharing such a domain are not colleagues.
 */
const freeMailDomains = new Set([
  'gmail.com',
  'googlemail.com',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'gmx.ch',
  'gmx.com',
  'web.de',
  't-online.de',
  'outlook.com',
  'outlook.de',
  'hotmail.com',
  'hotmail.de',
  'live.com',
  'live.de',
  'msn.com',
  'yahoo.com',
  'yahoo.de',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'aol.de',
  'freenet.de',
  'arcor.de',
  'posteo.de',
  'mailbox.org',
  'online.de',
  'vodafone.de',
  'kabelmail.de',
  '1und1.de',
  'email.de',
  'mail.de',
  'protonmail.com',
  'proton.me',
  'gmx.li',
  'bluewin.ch',
  'chello.at',
]);

export function isFreeMailDomain(domain: string): boolean {
  return freeMailDomains.has(domain.trim().toLowerCase());
}
