/** Programmatic entry points of the `pymecompress` CLI (mainly for tests and scripts). */
export { main, run, VERSION } from './cli.js';
export { CliError, EXIT } from './errors.js';
export { type FrameSource, openInput, type Pixels, parseInf } from './inputs/index.js';
export { type NpyHeader, npyHeaderBytes, type PixelDtype, parseNpyHeader } from './npy.js';
export { type QuantParams, resolveQuant, saturationLevel } from './quant-params.js';
