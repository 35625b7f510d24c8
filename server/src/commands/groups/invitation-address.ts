/**
 * Whom an email invitation is for. An invitation is not a bearer link: only an
 * account with the invited address may accept it, so a forwarded or leaked
 * link cannot let someone else in. Addresses are compared in one normal form,
 * and the account that tries with another address learns only a masked hint
 * of the invited one, enough to recognise which of their addresses it is.
 */
/** The one form addresses are compared in: Unicode NFC, trimmed, lowercase (as stored). */
export function normalizeEmail(address: string): string {
  return address.normalize('NFC').trim().toLowerCase();
}

/** Whether an account's address is the one an invitation was sent to. */
export function isInvitedAddress(invited: string, account: string): boolean {
  return normalizeEmail(invited) === normalizeEmail(account);
}

const hide = (part: string) => `${part.slice(0, 1)}•••`;

/**
 * A hint that lets the invited person recognise the address without telling
 * anyone else what it is: `ada.lovelace@mail.example.org` -> `a•••@m•••.org`.
 */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = normalizeEmail(address).split('@');
  const labels = domain.split('.');
  const tld = labels.length > 1 ? `.${labels.at(-1)}` : '';
  return `${hide(local)}@${hide(labels[0] ?? '')}${tld}`;
}
