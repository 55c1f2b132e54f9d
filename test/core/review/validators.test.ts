import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cardValid,
  e164Plausible,
  emailValid,
  ibanValid,
  ipv4Personal,
  ipv6Personal,
  luhnValid,
  nanpValid,
  plausibleDate,
  ssnValid,
} from '@privet/core/review/validators';

describe('Luhn and payment cards', () => {
  test('accepts known-valid test numbers and rejects one-digit changes', () => {
    for (const n of [
      '4111111111111111',
      '5500005555555559',
      '378282246310005',
      '6011111111111117',
      '79927398713',
    ]) {
      assert.equal(luhnValid(n), true, n);
      const last = Number(n[n.length - 1]);
      assert.equal(luhnValid(n.slice(0, -1) + ((last + 1) % 10)), false, n);
    }
  });
  test('cards need a plausible issuer prefix and length', () => {
    assert.equal(cardValid('4111111111111111'), true);
    assert.equal(cardValid('378282246310005'), true);
    assert.equal(cardValid('1234567812345670'), false); // Luhn-valid, no issuer starts with 1
    assert.equal(cardValid('4111111111111'), false); // 13-digit Visa prefix but Luhn fails
    assert.equal(cardValid('37828224631000'), false); // Amex must be 15 digits
  });
});

describe('IBAN mod-97', () => {
  test('valid IBANs pass, any transposition fails', () => {
    for (const iban of [
      'GB82WEST12345698765432',
      'DE89370400440532013000',
      'FR1420041010050500013M02606',
      'NL91ABNA0417164300',
      'gb82west12345698765432',
    ]) {
      assert.equal(ibanValid(iban), true, iban);
    }
    assert.equal(ibanValid('GB82WEST12345698765423'), false);
    assert.equal(ibanValid('GB83WEST12345698765432'), false);
    assert.equal(ibanValid('DE8937040044053201300'), false); // wrong length for DE
  });
});

describe('US SSN ranges', () => {
  test('area 000, 666, 9xx, group 00 and serial 0000 are never issued', () => {
    assert.equal(ssnValid('123', '45', '6789'), true);
    assert.equal(ssnValid('000', '45', '6789'), false);
    assert.equal(ssnValid('666', '45', '6789'), false);
    assert.equal(ssnValid('900', '45', '6789'), false);
    assert.equal(ssnValid('999', '45', '6789'), false);
    assert.equal(ssnValid('123', '00', '6789'), false);
    assert.equal(ssnValid('123', '45', '0000'), false);
    assert.equal(ssnValid('899', '99', '9999'), true);
  });
});

describe('phones, IPs, dates, emails', () => {
  test('NANP plausibility', () => {
    assert.equal(nanpValid('2125550134'), true);
    assert.equal(nanpValid('1125550134'), false); // NPA cannot start with 1
    assert.equal(nanpValid('2925550134'), false); // N9X is reserved
    assert.equal(nanpValid('2115550134'), false); // N11 area code
    assert.equal(nanpValid('2121550134'), false); // exchange starts with 1
    assert.equal(e164Plausible('442079460958'), true);
    assert.equal(e164Plausible('12125550134'), true);
    assert.equal(e164Plausible('11125550134'), false);
    assert.equal(e164Plausible('1234567'), false);
  });
  test('IP addresses exclude loopback and unspecified', () => {
    assert.equal(ipv4Personal(['203', '0', '113', '5']), true);
    assert.equal(ipv4Personal(['127', '0', '0', '1']), false);
    assert.equal(ipv4Personal(['0', '0', '0', '0']), false);
    assert.equal(ipv4Personal(['256', '1', '1', '1']), false);
    assert.equal(ipv4Personal(['01', '1', '1', '1']), false);
    assert.equal(ipv6Personal('2001:db8::8a2e:370:7334'), true);
    assert.equal(ipv6Personal('2001:0db8:85a3:0000:0000:8a2e:0370:7334'), true);
    assert.equal(ipv6Personal('::1'), false);
    assert.equal(ipv6Personal('12:30:45'), false);
  });
  test('dates and emails', () => {
    assert.equal(plausibleDate(2000, 2, 29), true);
    assert.equal(plausibleDate(1900, 2, 29), false);
    assert.equal(plausibleDate(1985, 13, 1), false);
    assert.equal(emailValid('john.doe', 'example.com'), true);
    assert.equal(emailValid('icon', '2x.png'), false);
    assert.equal(emailValid('pkg', '1.2.3'), false);
    assert.equal(emailValid('.john', 'example.com'), false);
    assert.equal(emailValid('git', 'github.com'), false);
  });
});
