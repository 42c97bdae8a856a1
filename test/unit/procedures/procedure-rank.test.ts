import { describe, expect, it } from 'vitest';
import { foldVietnamese } from '../../../src/lib/fold.js';
import { vi } from '../../../src/locale/vi.js';
import { rankProcedure, rankProcedures } from '../../../src/procedures/procedure-rank.js';
import { PROCEDURES, REPORT_GROUPS } from '../../../seeds/procedures.js';

// The catalog as the picker lists it: by report group, then by position (seed order).
const groupOrder = REPORT_GROUPS.map((g) => g.code);
const catalog = [...PROCEDURES]
  .map((p, position) => ({ p, position }))
  .sort(
    (a, b) =>
      groupOrder.indexOf(a.p.reportGroup) - groupOrder.indexOf(b.p.reportGroup) ||
      a.position - b.position,
  )
  .map(({ p }) => ({
    code: p.code,
    name: p.name,
    extra: `${REPORT_GROUPS.find((g) => g.code === p.reportGroup)!.name} ${vi.dossiers.searchAliases[p.reportGroup] ?? ''}`,
  }));

const firstFor = (query: string) => rankProcedures(query, catalog)[0]?.name;

describe('the procedure picker', () => {
  it.each(catalog.map((p) => [foldVietnamese(p.name), p.name]))(
    'puts "%s" first for its own name typed without diacritics',
    (query, name) => {
      expect(firstFor(query)).toBe(name);
    },
  );

  it.each(catalog.map((p) => [p.name]))('puts "%s" first for its own name as written', (name) => {
    expect(firstFor(name)).toBe(name);
  });

  it.each([
    ['tam tru', 'Đăng ký tạm trú'],
    ['dang ky tam tru', 'Đăng ký tạm trú'],
    ['đăng ký tạm trú', 'Đăng ký tạm trú'],
    ['DANG KY TAM TRU', 'Đăng ký tạm trú'],
    ['dang ky tam t', 'Đăng ký tạm trú'],
    ['tam vang', 'Khai báo tạm vắng'],
    ['thuong tru', 'Đăng ký thường trú'],
    ['xoa tam tru', 'Xóa đăng ký tạm trú'],
    ['cap doi the', 'Cấp đổi thẻ căn cước'],
    ['cap lai the can cuoc', 'Cấp lại thẻ căn cước'],
    ['sang ten', 'Đăng ký sang tên xe'],
    ['cccd', 'Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên'],
    ['1.004194', 'Đăng ký tạm trú'],
    ['LOCAL-DKX-SANG', 'Đăng ký sang tên xe'],
  ])('"%s" opens %s', (query, name) => {
    expect(firstFor(query)).toBe(name);
  });

  it('ranks a whole phrase over words in order, over prefixes, over the code, over the group', () => {
    const p = { code: '9.9', name: 'Đăng ký tạm trú', extra: 'Cư trú CT' };
    expect(rankProcedure('tam tru', p)![0]).toBe(0);
    expect(rankProcedure('dang tru', p)![0]).toBe(1);
    expect(rankProcedure('tru dang', p)![0]).toBe(2);
    expect(rankProcedure('dan ky', p)![0]).toBe(2);
    expect(rankProcedure('9.', p)![0]).toBe(3);
    expect(rankProcedure('ct', p)![0]).toBe(4);
    expect(rankProcedure('thuong', p)).toBeNull();
  });

  it('keeps the list order for an empty query and drops what does not match', () => {
    expect(rankProcedures('', catalog).map((p) => p.code)).toEqual(catalog.map((p) => p.code));
    expect(rankProcedures('khong co thu tuc nay', catalog)).toEqual([]);
  });
});
