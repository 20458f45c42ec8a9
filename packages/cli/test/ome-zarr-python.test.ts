/**
 * zarr-python 2 (packages/conformance/.venv: zarr 2.18.3 + pymecompress 0.3.6's numcodecs codecs)
 * opens what `compress -o x.ome.zarr` writes as an OME-Zarr reader does (group → multiscales →
 * dataset paths) and reads every level exactly: level 0 equals the input, each lower level an
 * independent numpy 2x2 mean binning (test/python/check_ome_zarr.py); ome-zarr-py 0.9.0's reader
 * (installed by scripts/setup-ome-zarr-py.sh) finds the same levels.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cameraStack, cli, pkgRoot, referencePython, tempDir, writeNpy } from './helpers.js';

function omeZarrPy(group: string) {
  const setup = spawnSync('sh', [join(pkgRoot, 'scripts', 'setup-ome-zarr-py.sh')], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (setup.status !== 0) throw new Error(`setup-ome-zarr-py.sh failed: ${setup.stderr}`);
  const target = setup.stdout.trim().split('\n').pop()!;
  const script = join(pkgRoot, 'test', 'python', 'read_with_ome_zarr_py.py');
  const r = spawnSync(referencePython(), [script, group], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, PYTHONPATH: target },
  });
  if (r.status !== 0) throw new Error(`read_with_ome_zarr_py.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function check(group: string, npy: string) {
  const r = spawnSync(
    referencePython(),
    [join(pkgRoot, 'test', 'python', 'check_ome_zarr.py'), group, npy],
    {
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (r.status !== 0) throw new Error(`check_ome_zarr.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('zarr-python reads .ome.zarr output', () => {
  it('a tiled 3-level stack pyramid, exactly', () => {
    const dir = tempDir();
    const [N, H, W] = [4, 75, 61];
    const npy = join(dir, 'stack.npy');
    writeNpy(npy, cameraStack(N, H, W, 5), [N, H, W]);
    const out = join(dir, 'stack.ome.zarr');
    const r = cli(['compress', npy, '-o', out, '--levels', '2', '--chunks', '3,32,32', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const rep = check(out, npy);
    expect(rep.version).toBe('0.4');
    expect(rep.axes).toEqual(['t', 'y', 'x']);
    expect(rep.levels).toEqual([
      {
        path: '0',
        shape: [4, 75, 61],
        chunks: [3, 32, 32],
        dtype: 'uint16',
        compressor: 'pymecompress-huffman',
        equal: true,
        scale: [1, 1, 1],
      },
      {
        path: '1',
        shape: [4, 38, 31],
        chunks: [3, 32, 31],
        dtype: 'uint16',
        compressor: 'pymecompress-huffman',
        equal: true,
        scale: [1, 2, 2],
      },
      {
        path: '2',
        shape: [4, 19, 16],
        chunks: [3, 19, 16],
        dtype: 'uint16',
        compressor: 'pymecompress-huffman',
        equal: true,
        scale: [1, 4, 4],
      },
    ]);
    // ome-zarr-py 0.9.0's reader (napari-ome-zarr's) finds the same three levels
    expect(omeZarrPy(out)).toEqual({
      multiscales: true,
      shapes: [
        [4, 75, 61],
        [4, 38, 31],
        [4, 19, 16],
      ],
      axes: ['t', 'y', 'x'],
      equal: [true, true, true],
    });
  }, 600_000);

  it('a uint8 2-D frame with whole-frame chunks', () => {
    const dir = tempDir();
    const [H, W] = [50, 33];
    const frame = Uint8Array.from(cameraStack(1, H, W, 8), (v) => v & 0xff);
    const npy = join(dir, 'frame.npy');
    writeNpy(npy, frame, [H, W]);
    const out = join(dir, 'frame.ome.zarr');
    expect(cli(['compress', npy, '-o', out, '--levels', '1', '-q']).code).toBe(0);
    const rep = check(out, npy);
    expect(rep.axes).toEqual(['y', 'x']);
    expect(rep.levels.map((l: { equal: boolean; dtype: string }) => [l.equal, l.dtype])).toEqual([
      [true, 'uint8'],
      [true, 'uint8'],
    ]);
  }, 600_000);
});
