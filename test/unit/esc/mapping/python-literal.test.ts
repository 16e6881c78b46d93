import { parsePythonLiteral, PythonLiteralError } from '../../../../src/esc/mapping/python-literal';

describe('parsePythonLiteral', () => {
  it('when given a Python dict repr, then returns the equivalent JSON value', () => {
    const text = "{'a': 'x', \"b\": [1, -2.5, (3, 4)], 'c': True, 'd': False, 'e': None, 'f': u'\\u00e9\\n', 'g': {}}";
    expect(parsePythonLiteral(text)).toEqual({ a: 'x', b: [1, -2.5, [3, 4]], c: true, d: false, e: null, f: 'é\n', g: {} });
  });

  it('when a string holds the other quote and escapes, then they are kept', () => {
    expect(parsePythonLiteral(`['it\\'s', "say \\"hi\\"", 'a"b', '\\x41']`)).toEqual(["it's", 'say "hi"', 'a"b', 'A']);
  });

  it('when trailing commas appear, then they are accepted', () => {
    expect(parsePythonLiteral("{'a': [1, 2,], }")).toEqual({ a: [1, 2] });
  });

  it('when the text holds a call or a name, then it is refused without evaluating anything', () => {
    expect(() => parsePythonLiteral("{'a': __import__('os')}")).toThrow(PythonLiteralError);
    expect(() => parsePythonLiteral('open')).toThrow(PythonLiteralError);
  });

  it('when a key is "__proto__", then it stays a plain key', () => {
    const value = parsePythonLiteral("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('when the input is unterminated or has trailing text, then it throws with the offset', () => {
    expect(() => parsePythonLiteral("{'a': 'x")).toThrow(/unterminated string/);
    expect(() => parsePythonLiteral('[1] 2')).toThrow(/trailing input at offset 4/);
  });
});
