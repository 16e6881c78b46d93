import { formatFigure, renderTable } from '../../../bench/lib/table';

describe('renderTable', () => {
  it('when rows are given, then columns are as wide as their widest cell and numbers align right', () => {
    const text = renderTable(
      [{ header: 'server' }, { header: 'polls/s', align: 'right' }],
      [
        ['driver', '3,485'],
        ['node:http', '21,298'],
      ],
    );
    expect(text.split('\n')).toEqual(['server     polls/s', '---------  -------', 'driver       3,485', 'node:http   21,298']);
  });

  it('when a row lacks cells or has extra ones, then missing cells are blank and extra ones dropped', () => {
    const text = renderTable([{ header: 'a' }, { header: 'b' }], [['x'], ['y', 'z', 'ignored']]);
    expect(text.split('\n')).toEqual(['a  b', '-  -', 'x', 'y  z']);
  });

  it('when there are no rows, then it prints the header and the separator', () => {
    expect(renderTable([{ header: 'bench' }], [])).toBe('bench\n-----');
  });
});

describe('formatFigure', () => {
  it.each([
    [21298.4, '21,298'],
    [1000, '1,000'],
    [456.78, '457'],
    [12.345, '12.3'],
    [1.2345, '1.23'],
    [0.012345, '0.0123'],
    [0, '0'],
    [-1500, '-1,500'],
  ])('when the value is %p, then it prints %p', (value, text) => {
    expect(formatFigure(value)).toBe(text);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('when the value is %p, then it prints a dash', (value) => {
    expect(formatFigure(value)).toBe('-');
  });
});
