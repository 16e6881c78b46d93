import { parseXml, XmlParseError } from '../../../src/xml/xml-parser';

describe('parseXml', () => {
  it('when a document has namespaces, attributes and text, then the tree carries them resolved', () => {
    const root = parseXml('<?xml version="1.0"?><a:rpc xmlns:a="urn:a" message-id="7"><b xmlns="urn:b">x<![CDATA[<y>]]></b></a:rpc>');

    expect(root).toEqual({
      name: 'rpc',
      ns: 'urn:a',
      attrs: [{ name: 'message-id', ns: '', value: '7' }],
      text: '',
      children: [{ name: 'b', ns: 'urn:b', attrs: [], children: [], text: 'x<y>' }],
    });
  });

  it('when documents follow one another, then nothing of one (prefixes, open elements) reaches the next', () => {
    parseXml('<p:a xmlns:p="urn:p"><p:b/></p:a>');

    expect(() => parseXml('<p:a/>')).toThrow(XmlParseError);
    expect(parseXml('<?xml version="1.0"?><c/>')).toMatchObject({ name: 'c', ns: '', children: [] });
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['no root element', '   '],
  ])('when given %s, then it throws XmlParseError and the next document still parses', (_what, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlParseError);
    expect(parseXml('<ok><v>1</v></ok>')).toMatchObject({ name: 'ok', children: [{ name: 'v', text: '1' }] });
  });
});
