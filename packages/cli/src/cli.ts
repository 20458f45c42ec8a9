/**
 * The `pymecompress` command line: argument parsing, help texts and the mapping of errors to exit
 * codes. `main(argv)` resolves to the exit code; `bin.ts` exits with it.
 */
import { parseArgs } from 'node:util';
import { compress } from './commands/compress.js';
import { decompress } from './commands/decompress.js';
import { info } from './commands/info.js';
import { VIEW_HELP, VIEW_OPTIONS } from './commands/view.js';
import { CliError, EXIT, fromLibraryError, usageError } from './errors.js';

import { VERSION } from './version.js';

export { VERSION };

const EXIT_CODES = `Exit codes:
  0    success
  1    failure (I/O error, unavailable backend, demo bound check FAILED)
  2    usage error (unknown command/option, missing or invalid argument)
  3    bad input file (not the expected format, corrupt or truncated data, unsupported dtype)
  4    output exists (pass --force to replace it)
  130  interrupted (SIGINT/SIGTERM; partial output removed)`;

const HELP: Record<string, string> = {
  view: VIEW_HELP,
  main: `pymecompress ${VERSION}: compress photon-limited camera frames (sqrt quantization + Huffman),
byte-compatible with Python pymecompress and PYME.

Usage: pymecompress <command> [options]

Commands:
  demo        compress a seeded synthetic sCMOS stack with every backend and check the noise bound
  compress    .npy / .tif / .dax / raw stack -> .zarr (Zarr v2), .ome.zarr (OME-NGFF 0.4) or .pzf
  decompress  .pzf / Zarr (array, OME-Zarr, PYME pyramid) -> .npy / .tif
  info        describe a .pzf, Zarr array or group, .npy, .tif or .dax file
  bench       throughput of every backend and the Python reference on the same data
  view        look at a .pzf/.npy/.tif/.zarr in the browser, choose the quantization step by eye

Run 'pymecompress <command> --help' for a command's options.

${EXIT_CODES}`,
  compress: `Usage: pymecompress compress INPUT -o OUTPUT [options]

INPUT:  .npy (uint8/uint16, C or F order, either byte order), .tif/.tiff (multi-page, uint8/uint16
        greyscale), .dax (big-endian uint16, with its .inf beside it), or raw bytes with --shape/--dtype.
OUTPUT: DIR.zarr      Zarr v2 array, one chunk per frame (or --chunks), compressor pymecompress-huffman
                      (lossless) or pymecompress-quant16 (quantized): zarr-python reads it after
                      'import pymecompress.codecs'.
        DIR.ome.zarr  OME-NGFF 0.4 image group (napari, vizarr, ome-zarr-py): .zgroup, .zattrs with
                      multiscales (axes y,x or t,y,x / z,y,x), arrays 0, 1, ... ('/' chunk keys),
                      same codecs; --levels adds downsampled levels.
        FILE.pzf      one PZF frame (version 3), readable by PYME's PZFFormat.loads.

Options:
  -o, --output PATH        output .zarr directory or .pzf file (required)
  --lossless               Huffman only, bit-exact (the default when no quantization option is given)
  --offset A --scale S     sqrt quantization q = round(sqrt(x - A) / S), reconstruction A + (S*q)^2
  --dark-level D           ... or derive them from the camera (PYME's way): offset = D and
  --gain G                 scale = step * sqrt(G) / 2, where G is the gain in ADU per photoelectron
  --step K                 (default 1; PYME's ElectronsPerCount is 1/G) and K the quantization step as
                           a fraction of the Poisson noise sigma = sqrt(G*(x - D)) (default 0.5).
                           The error is then at most K/2 sigma (+ S^2/4 + 1 ADU of rounding).
                           Pixels below the offset are stored as the offset; above
                           A + (255.5*S)^2 they saturate (a warning reports how many).
  --backend NAME           auto (native if it loads, else wasm, else core-ts), native, wasm or core-ts
                           (default: $PYMECOMPRESS_BACKEND, else auto)
  --threads N              threads for .zarr output (default: all cores; 1 = no worker threads)
  --frame K                for .pzf output from a multi-frame input: which frame (0-based)
  --chunks T,H,W | H,W     .zarr/.ome.zarr chunk shape (tiles), e.g. 1,256,256 (default: whole frames)
  --levels N               .ome.zarr: N downsampled levels below full resolution (arrays 1..N), each
                           2x2 mean-binned in y/x (rounded half up); quantized outputs quantize
                           every level with the same offset/scale
  --stack-axis t|z         .ome.zarr: a stack's frames are time points (t, default) or z planes
  --pixel-size S | Y,X     .ome.zarr: pixel size in micrometres (scale and unit of y/x)
  --stack-step D           .ome.zarr: frame spacing (seconds for t, micrometres for z)
  --shape N,H,W | H,W      raw input: shape (C order)
  --dtype T                raw input: uint8, uint16 (little-endian) or uint16be
  -f, --force              replace an existing output
  -q, --quiet              no progress bar or summary
  -h, --help               this help

Frames are read one at a time and compressed in parallel, so memory stays bounded for stacks
larger than RAM. Outputs are written under a temporary name and renamed when complete.

${EXIT_CODES}`,
  decompress: `Usage: pymecompress decompress INPUT -o OUTPUT [options]

INPUT:  FILE.pzf, or a Zarr directory (any name):
        - a Zarr v2 or v3 array, any chunk shape, pymecompress codecs or any codec zarrita reads
          (blosc, zstd, gzip, zlib, lz4, ...); frames are the last two axes;
        - an OME-Zarr group (NGFF multiscales): --level N picks multiscales[0].datasets[N];
        - a PYME tile pyramid (python-microscopy's ImagePyramid + save_zarr_metadata): --level N;
          missing tiles read as the fill value.
        Quantized data is reconstructed as PYME does: (scale*q)^2 + offset.
OUTPUT: FILE.npy (C order, little-endian) or FILE.tif/.tiff (uncompressed multi-page TIFF, < 4 GiB),
        in the input's dtype (uint8/16/32, int8/16/32, float32/64).

Memory: arrays chunked frame by frame ([1, H, W]) are decoded in parallel, a few frames in flight;
other chunkings are read one block of frames (the chunk length of the last leading axis) at a
time, one chunk row of it decoded at once.

Options:
  -o, --output PATH   output file (required)
  --level N           level of an OME-Zarr group or PYME pyramid (default 0, full resolution)
  --backend NAME      auto, native, wasm or core-ts
  --threads N         worker threads for whole-frame Zarr chunks (default: all cores)
  -f, --force         replace an existing output
  -q, --quiet         no progress bar or summary
  -h, --help          this help

${EXIT_CODES}`,
  info: `Usage: pymecompress info FILE [--json] [--level N] [--shape N,H,W --dtype T]

Prints a .pzf header (version, shape, dtype, compression, quantization parameters, ...); for a Zarr
array, OME-Zarr group or PYME pyramid its shape, chunks, dtype, codec and parameters, the levels
(path, shape, chunks, scale) and axes of a group, and the compression ratio; or the shape and
dtype of an input (.npy, .tif, .dax, raw with --shape/--dtype).

Options:
  --json       machine-readable output
  --level N    the level of an OME-Zarr group or PYME pyramid to describe (default 0)
  -h, --help   this help

${EXIT_CODES}`,
  demo: `Usage: pymecompress demo [--frames N] [--size PX] [--png FILE] [--seed S] [--json FILE]

Generates a seeded sCMOS-like stack (Poisson photon counts on a dark level of 100 ADU, 1.5 ADU
read noise, hot pixels, pixels below the dark level), compresses it losslessly and with sqrt
quantization on every available backend (core-ts; native scalar and AVX2 when it loads), decodes
it, and prints the compression ratio, throughput and the largest error in units of the Poisson
noise sigma = sqrt(x - dark level) (gain 1 ADU/e-).

Bound: with offset = dark level and scale s the quantization step is 2s sigma, so every pixel with
x >= offset below saturation must satisfy |x' - x| <= s*sigma + s^2/4 + 1 ADU (half a step plus
rounding). Lossless rows must be bit-exact. Any violation prints FAIL and exits 1.

Options:
  --frames N    frames (default 8)
  --size PX     frame width and height (default 1024)
  --seed S      first seed (default 1)
  --png FILE    write frame 0, its reconstruction and the error map (in sigma) side by side
  --json FILE   write the results as JSON
  -f, --force   replace existing --png/--json files
  -h, --help    this help

${EXIT_CODES}`,
  bench: `Usage: pymecompress bench [--json FILE] [--repeats N] [--no-reference] [--no-scaling]

One run measures, on the seeded benchmark corpus of core-ts/synthetic (a dim sCMOS frame, a bright
fluorescence frame, a sparse single-molecule frame, all 2048x2048, and a 256x256 tile; each as raw
bytes and as quantized symbols at offset = dark level 100, scale 1): core-ts, the native backend
(scalar and AVX2 bodies, if it loads), the wasm backend (if @pymecompress/wasm is installed) and the
Python reference pymecompress 0.3.6 (via @pymecompress/conformance's reference worker, if the
workspace has it) for Huffman encode, decode, quantize+encode, quantize and dequantize. Prints MB/s
of uncompressed data and the ratio to the reference for every row, then the worst ratio per
operation and backend over the whole corpus, compression ratios, and a --threads scaling row
(200-frame 2048x2048 stack, written to the temp directory, compressed to .zarr by the CLI with 1
thread and with all cores).

Options:
  --json FILE      also write the results as JSON
  --repeats N      timed repetitions per row, best kept (default 5)
  --frames N       frames of the scaling stack (default 200)
  --no-reference   skip the Python reference
  --no-scaling     skip the threads scaling row
  -h, --help       this help

${EXIT_CODES}`,
};

type Opt = { type: 'string' | 'boolean'; short?: string };

const COMMON: Record<string, Opt> = { help: { type: 'boolean', short: 'h' } };
const OPTIONS: Record<string, Record<string, Opt>> = {
  view: VIEW_OPTIONS,
  compress: {
    output: { type: 'string', short: 'o' },
    lossless: { type: 'boolean' },
    offset: { type: 'string' },
    scale: { type: 'string' },
    'dark-level': { type: 'string' },
    gain: { type: 'string' },
    step: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    frame: { type: 'string' },
    shape: { type: 'string' },
    dtype: { type: 'string' },
    chunks: { type: 'string' },
    levels: { type: 'string' },
    'stack-axis': { type: 'string' },
    'pixel-size': { type: 'string' },
    'stack-step': { type: 'string' },
    force: { type: 'boolean', short: 'f' },
    quiet: { type: 'boolean', short: 'q' },
  },
  decompress: {
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    force: { type: 'boolean', short: 'f' },
    quiet: { type: 'boolean', short: 'q' },
  },
  info: {
    json: { type: 'boolean' },
    level: { type: 'string' },
    shape: { type: 'string' },
    dtype: { type: 'string' },
  },
  demo: {
    frames: { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
    png: { type: 'string' },
    json: { type: 'string' },
    force: { type: 'boolean', short: 'f' },
  },
  bench: {
    json: { type: 'string' },
    repeats: { type: 'string' },
    frames: { type: 'string' },
    'no-reference': { type: 'boolean' },
    'no-scaling': { type: 'boolean' },
  },
};

const POSITIONALS: Record<string, number> = {
  view: 1,
  compress: 1,
  decompress: 1,
  info: 1,
  demo: 0,
  bench: 0,
};

function parse(
  command: string,
  args: string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON, ...OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw usageError(`${command}: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function run(argv: string[]): Promise<number> {
  // `pnpm bench -- --json x` passes a literal '--' through: drop it before the command's options.
  const [command, ...given] = argv[0] === '--' ? argv.slice(1) : argv;
  const rest = given[0] === '--' ? given.slice(1) : given;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    console.log(HELP.main);
    return command === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (command === '--version' || command === '-V') {
    console.log(VERSION);
    return EXIT.OK;
  }
  if (!(command in OPTIONS))
    throw usageError(`unknown command '${command}' (try pymecompress --help)`);
  const { values, positionals } = parse(command, rest);
  if (values.help) {
    console.log(HELP[command]);
    return EXIT.OK;
  }
  const want = POSITIONALS[command]!;
  if (positionals.length !== want) {
    throw usageError(
      want === 0
        ? `${command} takes no positional arguments (got ${positionals.join(' ')})`
        : `${command} needs exactly one input file (got ${positionals.length}); see pymecompress ${command} --help`,
    );
  }
  const v = values as Record<string, never>;
  switch (command) {
    case 'compress':
      await compress(positionals[0]!, v);
      return EXIT.OK;
    case 'decompress':
      await decompress(positionals[0]!, v);
      return EXIT.OK;
    case 'info':
      await info(positionals[0]!, v);
      return EXIT.OK;
    case 'demo': {
      const { demo } = await import('./commands/demo.js');
      return demo(v);
    }
    case 'view': {
      const { view } = await import('./commands/view.js');
      return view(positionals[0]!, v);
    }
    case 'bench': {
      const { bench } = await import('./commands/bench.js');
      return bench(v);
    }
  }
  return EXIT.USAGE;
}

/** Runs the CLI and returns the exit code, printing errors as `pymecompress: message`. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (err) {
    const e = err instanceof CliError ? err : fromLibraryError(undefined, err);
    console.error(`pymecompress: ${e.message}`);
    if (e.exitCode === EXIT.USAGE && !e.message.includes('--help'))
      console.error("(run 'pymecompress --help' for usage)");
    if (process.env.PYMECOMPRESS_CLI_DEBUG) console.error(err);
    return e.exitCode;
  }
}
