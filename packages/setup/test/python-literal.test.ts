import { pythonStringRepr, toPythonLiteral } from '../src/python-literal';

describe('pythonStringRepr (values in the inventory, like ElastiCluster)', () => {
  it('uses single quotes by default', () => {
    expect(pythonStringRepr('hello world')).toBe("'hello world'");
  });

  it('switches to double quotes when the text has a single quote and no double quote', () => {
    expect(pythonStringRepr("it's")).toBe(`"it's"`);
  });

  it('escapes the single quote when the text has both kinds of quotes', () => {
    expect(pythonStringRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
  });

  it('writes backslashes, newlines, tabs and control characters as escapes', () => {
    expect(pythonStringRepr('a\\b\nc\td\u0001')).toBe("'a\\\\b\\nc\\td\\x01'");
  });

  it('keeps printable non-ASCII text as it is', () => {
    expect(pythonStringRepr('Zürich')).toBe("'Zürich'");
  });
});

describe('toPythonLiteral', () => {
  it('writes JSON-like values as Python literals', () => {
    expect(toPythonLiteral({ a: [1, true, null], b: 'x' })).toBe("{'a': [1, True, None], 'b': 'x'}");
  });
});
