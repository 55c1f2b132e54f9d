import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, identifierSpans, normalize } from '@privet/core/review/index';

/** Rules found in a text after normalization. */
function rules(text: string): string[] {
  const t = normalize(text, { markup: true }).text;
  return identifierSpans(t).map((s) => s.rule);
}

describe('direct identifiers', () => {
  test('finds each identifier type in common formats', () => {
    assert.deepEqual(rules('mail John.Doe+x@Mail.Example.co.uk today'), ['email']);
    for (const p of [
      '(212) 555-0134',
      '212-555-0134',
      '212.555.0134',
      '+1 212 555 0134',
      '1-212-555-0134',
      '+44 20 7946 0958',
      '+49 30 12345678',
    ])
      assert.deepEqual(rules(`call ${p} now`), ['phone'], p);
    for (const c of [
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111111111111111',
      '3782 822463 10005',
    ])
      assert.deepEqual(rules(`card ${c}.`), ['payment-card'], c);
    assert.deepEqual(rules('acct GB82 WEST 1234 5698 7654 32 ok'), ['iban']);
    assert.deepEqual(rules('acct DE89370400440532013000'), ['iban']);
    assert.deepEqual(rules('ssn 123-45-6789'), ['ssn']);
    assert.deepEqual(rules('SSN: 123456789'), ['ssn']);
    assert.deepEqual(rules('from 203.0.113.7 and 2001:db8::8a2e:370:7334'), [
      'ip-address',
      'ip-address',
    ]);
    assert.deepEqual(rules('DOB: 1985-03-12'), ['date-of-birth']);
  });

  test('finds identifiers behind evasions', () => {
    assert.deepEqual(rules('j\u200bohn@exa\u200bmple.com'), ['email']);
    assert.deepEqual(rules('jоhn@еxample.com'), ['email']); // Cyrillic
    assert.deepEqual(rules('john&#64;example&period;com'), ['email']);
    assert.deepEqual(rules('jo<span>hn</span>@<b>example</b>.com'), ['email']);
    assert.deepEqual(rules('２１２-５５５-０１３４'), ['phone']);
    assert.deepEqual(rules('4111\u00ad1111\u00ad1111\u00ad1111'), ['payment-card']);
    assert.deepEqual(rules('jane @ example.com'), ['email']);
    assert.deepEqual(rules('ssn 123/45/6789'), ['ssn']);
    assert.deepEqual(rules('jane dot roe at example dot com'), ['email']);
    assert.deepEqual(rules('key am9obkBleGFtcGxlLmNvbQ== end'), ['email']); // base64 of john@example.com
    assert.deepEqual(rules('etag dGhpcyBpcyBhIHRlc3Q='), []); // decodes to harmless text
  });

  test('rejects look-alikes: invalid checks, ranges, versions, hashes, timestamps', () => {
    assert.deepEqual(rules('card 4111 1111 1111 1112'), []); // Luhn fails
    assert.deepEqual(rules('GB82 WEST 1234 5698 7654 33'), []); // mod-97 fails
    assert.deepEqual(rules('000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000'), []);
    assert.deepEqual(rules('number 112-555-0134'), []); // NPA starts with 1
    assert.deepEqual(
      rules('numpy 1.26.4, build 2.0.1.3-beta, version 10.2.3.4, ::1, 127.0.0.1'),
      [],
    );
    assert.deepEqual(
      rules('uuid 123e4567-e89b-12d3-a456-426614174000 sha 5d41402abc4b2a76b9719d911017c592'),
      [],
    );
    assert.deepEqual(rules('2026-03-01 12:00:01,123 epoch=1700000000000 took 212.555 ms'), []);
    assert.deepEqual(rules('icon@2x.png pandas@2.2.1 @property'), []);
  });

  test('messages never contain the value; the preview redacts it', () => {
    const r = checkOutput({
      output_type: 'stream',
      name: 'stdout',
      text: 'john.doe@example.com 4111 1111 1111 1111 123-45-6789',
    });
    assert.equal(r.verdict, 'block');
    assert.equal(r.findings.length, 3);
    for (const f of r.findings) {
      assert.ok(!/john\.doe|4111 1111|123-45-6789/.test(f.message), f.message);
      assert.ok('start' in f.location && f.location.end > f.location.start);
    }
    assert.match(r.findings[0]?.message ?? '', /j\*\*\*@e\*\*\*\.com/);
    assert.ok(!r.redactedPreview.includes('john.doe'));
    assert.match(r.redactedPreview, /\[REDACTED email\]/);
  });

  test('a date of birth next to another identifier blocks; alone a date passes', () => {
    const near = checkOutput({
      output_type: 'stream',
      name: 'stdout',
      text: 'jane@example.org, 1985-03-12, F',
    });
    assert.equal(near.verdict, 'block');
    assert.ok(near.findings.some((f) => f.rule === 'date-of-birth' && f.severity === 'block'));
    assert.equal(
      checkOutput({ output_type: 'stream', name: 'stdout', text: 'report of 1985-03-12' }).verdict,
      'pass',
    );
  });

  test('rules can be switched off or re-graded', () => {
    const out = { output_type: 'stream', name: 'stdout', text: 'from 203.0.113.7' } as const;
    assert.equal(checkOutput(out).verdict, 'block');
    assert.equal(checkOutput(out, { policy: { rules: { 'ip-address': 'off' } } }).verdict, 'pass');
    assert.equal(checkOutput(out, { policy: { rules: { 'ip-address': 'flag' } } }).verdict, 'flag');
    assert.equal(checkOutput(out, { policy: { rules: { 'ip-address': false } } }).verdict, 'pass');
    assert.equal(checkOutput(out, { policy: { rules: { 'ip-address': true } } }).verdict, 'block');
  });
});
