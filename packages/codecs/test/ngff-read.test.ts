/** The one OME-NGFF `multiscales` reader (`@pymecompress/codecs/untrusted`), shared by the CLI and the viewer. */
import { ngffMultiscales } from '@pymecompress/codecs';
import {
  insidePathParts,
  MAX_NGFF_LEVELS,
  readNgffMultiscale,
} from '@pymecompress/codecs/untrusted';
import { describe, expect, it } from 'vitest';

describe('readNgffMultiscale', () => {
  it('reads back what ngffMultiscales writes (paths, axes, composed scale and translation)', () => {
    const attrs = ngffMultiscales({
      axes: [
        { name: 'z', type: 'space', unit: 'micrometer' },
        { name: 'y', type: 'space' },
        { name: 'x', type: 'space' },
      ],
      factors: [
        [1, 1, 1],
        [1, 2, 2],
      ],
      scale: [0.5, 0.1, 0.1],
    });
    const m = readNgffMultiscale(attrs).multiscale!;
    expect(m.kind).toBe('ome-zarr');
    expect(m.version).toBe('0.4');
    expect(m.axes).toEqual([
      { name: 'z', type: 'space', unit: 'micrometer' },
      { name: 'y', type: 'space' },
      { name: 'x', type: 'space' },
    ]);
    expect(m.datasets.map((d) => d.path)).toEqual(['0', '1']);
    expect(m.datasets[1]!.scale).toEqual([0.5, 0.2, 0.2]);
    expect(m.datasets[1]!.translation).toEqual([0, 0.05, 0.05]);
    expect(m.transformed).toBe(true);
  });

  it('0.5 under `ome`, the multiscale-wide transformations, a PYME block', () => {
    const m = readNgffMultiscale({
      ome: {
        version: '0.5',
        multiscales: [
          {
            axes: ['y', 'x'],
            datasets: [
              { path: 'a//b/', coordinateTransformations: [{ type: 'scale', scale: [2, 3] }] },
            ],
            coordinateTransformations: [{ type: 'scale', scale: [10, 10] }],
          },
        ],
      },
      pyme: { tile_size: 256 },
    }).multiscale!;
    expect(m).toMatchObject({ kind: 'pyme-pyramid', version: '0.5', pyme: { tile_size: 256 } });
    expect(m.datasets).toEqual([{ path: 'a/b', scale: [20, 30], translation: [0, 0] }]);
    // No transformations at all: no scale (PYME's pyramids).
    const p = readNgffMultiscale({
      multiscales: [{ axes: ['y', 'x'], datasets: [{ path: '0' }] }],
    });
    expect(p.multiscale!.datasets[0]!.scale).toBeUndefined();
    expect(p.multiscale!.transformed).toBe(false);
  });

  it('no multiscales: undefined; impossible ones: a problem, never a throw', () => {
    expect(readNgffMultiscale({})).toEqual({ multiscale: undefined });
    expect(readNgffMultiscale(null)).toEqual({ multiscale: undefined });
    const bad = (multiscales: unknown) => readNgffMultiscale({ multiscales }).problem;
    expect(bad([])).toMatch(/not a non-empty list/);
    expect(bad([{ datasets: [] }])).toMatch(/datasets is not a non-empty list/);
    const many = Array.from({ length: MAX_NGFF_LEVELS + 1 }, (_, i) => ({ path: String(i) }));
    expect(bad([{ datasets: many }])).toMatch(/at most 64/);
    expect(bad([{ datasets: [7] }])).toMatch(/datasets\[0\] is not an object/);
    expect(bad([{ datasets: [{ path: 3 }] }])).toMatch(/path is not a string/);
    for (const path of ['/abs', '../up', 'a/../../b', 'a\\b', '', './x', 'a\0'])
      expect(bad([{ datasets: [{ path }] }])).toMatch(/is not a path inside the group/);
  });

  it('insidePathParts: the one rule for relative paths read from metadata', () => {
    expect(insidePathParts('/a//b/')).toEqual(['a', 'b']);
    for (const p of ['..', 'a/./b', 'a\\b', 'x\0']) expect(insidePathParts(p)).toBeUndefined();
  });
});
