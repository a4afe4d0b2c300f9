import { splitShellWords } from '../src/split-shell-words';

describe('splitShellWords (shlex.split, as ElastiCluster splits ansible_extra_args)', () => {
  it('splits on whitespace', () => {
    expect(splitShellWords('  -v  --tags a,b ')).toEqual(['-v', '--tags', 'a,b']);
  });

  it('keeps quoted text whole and removes the quotes', () => {
    expect(splitShellWords(`-e 'x=1 y=2' --ssh-extra-args="-o Foo=\\"a b\\""`)).toEqual(['-e', 'x=1 y=2', '--ssh-extra-args=-o Foo="a b"']);
  });

  it('keeps an empty quoted word', () => {
    expect(splitShellWords(`a '' b`)).toEqual(['a', '', 'b']);
  });

  it('honours backslash escapes outside quotes', () => {
    expect(splitShellWords('a\\ b c')).toEqual(['a b', 'c']);
  });

  it('refuses an unterminated quote', () => {
    expect(() => splitShellWords(`-e 'x=1`)).toThrow("unterminated ' quote");
  });
});
