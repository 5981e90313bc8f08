/** STANAG 4774 XML: a realistic label round-trips; every hostile document is refused by name, quickly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelError } from './errors.js';
import type { ConfidentialityLabel } from './label.js';
import { labelFromXml, labelToXml, STANAG_4774_NS } from './xml-4774.js';

const realistic = `<?xml version="1.0" encoding="UTF-8"?>
<slab:originatorConfidentialityLabel xmlns:slab="${STANAG_4774_NS}">
  <slab:ConfidentialityInformation>
    <slab:PolicyIdentifier URI="urn:oid:1.3.26.1.3.1">NATO</slab:PolicyIdentifier>
    <slab:Classification>SECRET</slab:Classification>
    <slab:Category TagName="Releasable To" Type="PERMISSIVE" URI="urn:oid:1.3.26.1.4.2">
      <slab:GenericValue>POL</slab:GenericValue>
      <slab:GenericValue>DEU</slab:GenericValue>
      <slab:GenericValue>NLD</slab:GenericValue>
    </slab:Category>
  </slab:ConfidentialityInformation>
  <slab:OriginatorID IDType="uri">urn:entente:DEU:device:uav-7</slab:OriginatorID>
  <slab:CreationDateTime>2026-11-23T08:00:00Z</slab:CreationDateTime>
</slab:originatorConfidentialityLabel>`;

function reasonOf(xml: string): string {
  try {
    labelFromXml(xml);
  } catch (error) {
    if (error instanceof LabelError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('STANAG 4774 XML', () => {
  it('reads a realistic originator label, and writes it back the same', () => {
    const label = labelFromXml(realistic);
    expect(label).toMatchObject({
      kind: 'originator',
      policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' },
      classification: 'SECRET',
      categories: [{ tagName: 'Releasable To', type: 'PERMISSIVE', values: ['DEU', 'NLD', 'POL'] }],
      originator: { idType: 'uri', id: 'urn:entente:DEU:device:uav-7' },
    });
    expect(labelFromXml(labelToXml(label))).toEqual(label);
  });

  it('refuses DTDs, external entities and entity expansion', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]><slab:originatorConfidentialityLabel xmlns:slab="${STANAG_4774_NS}">&x;</slab:originatorConfidentialityLabel>`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>`;
    expect(reasonOf(xxe)).toBe('xml-dtd');
    expect(reasonOf(laughs)).toBe('xml-dtd');
    expect(reasonOf(realistic.replace('>SECRET<', '>&secret;<'))).toBe('xml-entity');
    expect(reasonOf(realistic.replace('>SECRET<', '>SE&#67;RET<'))).toBe('accepted');
  });

  it('refuses a megabyte of nesting, oversize text, processing instructions and strangers', () => {
    const deep = '<a>'.repeat(250_000) + '</a>'.repeat(250_000);
    expect(reasonOf(deep)).toBe('xml-too-large');
    expect(reasonOf('<a>'.repeat(20) + '</a>'.repeat(20))).toBe('xml-too-deep');
    expect(reasonOf(realistic.replace('>SECRET<', `>${'S'.repeat(100_000)}<`))).toBe('xml-too-large');
    expect(reasonOf(realistic.replace('<slab:Classification>', '<?php echo 1 ?><slab:Classification>'))).toBe('xml-processing-instruction');
    expect(reasonOf(realistic.replaceAll(STANAG_4774_NS, 'urn:example:other'))).toBe('xml-wrong-namespace');
    expect(reasonOf(realistic.replace('<slab:Classification>', '<slab:Payload>x</slab:Payload><slab:Classification>'))).toBe('xml-unknown-element');
    expect(reasonOf('<unclosed>')).toBe('xml-malformed');
    expect(reasonOf(realistic.replace('<slab:CreationDateTime>2026-11-23T08:00:00Z', '<slab:CreationDateTime>soon'))).toBe('malformed-label');
  });

  it('never throws anything but a LabelError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `<slab:originatorConfidentialityLabel xmlns:slab="${STANAG_4774_NS}">${s}`)), (xml) => {
        expect(reasonOf(xml)).not.toBe('accepted');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('STANAG 4774 XML structure', () => {
  const full: ConfidentialityLabel = {
    kind: 'alternative',
    policy: { id: 'NATO', uri: 'urn:oid:1.3.26.1.3.1' },
    classification: 'TOP SECRET',
    privacyMark: 'EXERCISE <ALPHA> & "BRAVO"',
    categories: [
      { tagName: 'Releasable To', type: 'PERMISSIVE', uri: 'urn:oid:1.3.26.1.4.2', values: ['POL', 'NLD', 'DEU'] },
      { tagName: 'Additional Sensitivity', type: 'RESTRICTIVE', values: ['ATOMAL'] },
    ],
    originator: { idType: 'uri', id: 'urn:entente:DEU:device:uav-7' },
    createdAt: '2026-11-23T08:00:00.250+01:00',
    reviewAt: '2036-11-23T08:00:00Z',
  };

  it('writes every field under the slab prefix, and reads it back the same, from text or bytes', () => {
    const xml = labelToXml(full);
    expect(xml).toContain(`<slab:alternativeConfidentialityLabel xmlns:slab="${STANAG_4774_NS}">`);
    expect(xml).toContain('<slab:PrivacyMark>EXERCISE &lt;ALPHA&gt; &amp; "BRAVO"</slab:PrivacyMark>');
    expect(xml).toContain('<slab:OriginatorID IDType="uri">urn:entente:DEU:device:uav-7</slab:OriginatorID>');
    expect(xml).toContain('<slab:ReviewDateTime>2036-11-23T08:00:00Z</slab:ReviewDateTime>');
    const label = labelFromXml(xml);
    expect(label.categories.map((c) => c.tagName)).toEqual(['Additional Sensitivity', 'Releasable To']);
    expect(label.categories[1]!.values).toEqual(['DEU', 'NLD', 'POL']);
    expect(labelFromXml(Buffer.from(xml))).toEqual(label);
    expect(labelToXml(label)).toBe(xml);
  });

  it('reads the default namespace, comments, CDATA and decomposed text as the same label', () => {
    const other = `<originatorConfidentialityLabel xmlns="${STANAG_4774_NS}"><!-- note -->
      <ConfidentialityInformation><PolicyIdentifier URI="urn:oid:1.3.26.1.3.1">NATO</PolicyIdentifier>
      <Classification><![CDATA[SECRET]]></Classification>
      <Category TagName="Releasable To" Type="PERMISSIVE" URI="urn:oid:1.3.26.1.4.2"><GenericValue> NLD </GenericValue><GenericValue>DEU</GenericValue><GenericValue>POL</GenericValue></Category>
      </ConfidentialityInformation><OriginatorID IDType="uri">urn:entente:DEU:device:uav-7</OriginatorID>
      <CreationDateTime>2026-11-23T08:00:00Z</CreationDateTime></originatorConfidentialityLabel>`;
    expect(labelFromXml(other)).toEqual(labelFromXml(realistic));
    const decomposed = realistic.replace('>SECRET<', '>TRE\u0300S SECRET<');
    expect(labelFromXml(decomposed).classification).toBe('TR\u00C8S SECRET');
  });

  it('refuses what the 4774 content model does not allow, by name', () => {
    const cases: [string, string][] = [
      [realistic.replace('originatorConfidentialityLabel', 'metadataConfidentialityLabel').replace('/slab:originatorConfidentialityLabel', '/slab:metadataConfidentialityLabel'), 'xml-unknown-element'],
      [realistic.replace('<slab:CreationDateTime>2026-11-23T08:00:00Z</slab:CreationDateTime>', ''), 'xml-structure'],
      [realistic.replace('<slab:Classification>SECRET</slab:Classification>', ''), 'xml-structure'],
      [realistic.replace('<slab:Classification>SECRET</slab:Classification>', '<slab:Classification>SECRET</slab:Classification><slab:Classification>SECRET</slab:Classification>'), 'xml-structure'],
      [realistic.replace('<slab:Classification>SECRET</slab:Classification>', '').replace('</slab:Category>', '</slab:Category><slab:Classification>SECRET</slab:Classification>'), 'xml-structure'],
      [realistic.replace('<slab:ConfidentialityInformation>', '<slab:ConfidentialityInformation>loose text'), 'xml-structure'],
      [realistic.replace('<slab:GenericValue>POL</slab:GenericValue>', '<slab:GenericValue><slab:GenericValue>POL</slab:GenericValue></slab:GenericValue>'), 'xml-structure'],
      [realistic.replace(/<slab:GenericValue>\w+<\/slab:GenericValue>/g, ''), 'xml-structure'],
      [realistic.replace(' IDType="uri"', ''), 'xml-structure'],
      [realistic.replace(' Type="PERMISSIVE"', ''), 'xml-structure'],
      [realistic.replace('<slab:OriginatorID', '<slab:Originator').replace('</slab:OriginatorID>', '</slab:Originator>'), 'xml-unknown-element'],
      [realistic.replace('<slab:Classification>', '<slab:Classification level="3">'), 'xml-unknown-attribute'],
      [realistic.replace('<slab:Classification>', '<slab:Classification slab:URI="x">'), 'xml-unknown-attribute'],
      [realistic.replace('Type="PERMISSIVE"', 'Type="ALLOW"'), 'malformed-label'],
      [realistic.replace('<slab:Category TagName="Releasable To"', '<slab:Category TagName=" Releasable To"'), 'malformed-label'],
    ];
    for (const [xml, reason] of cases) expect(reasonOf(xml), xml).toBe(reason);
  });
});
