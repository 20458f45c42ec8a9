/**
 * The page: inputs (`page/inputs.ts`), the zoomable canvas (`page/display.ts`), contrast/LUT/
 * frame and zoom/pan controls (`page/controls.ts`), the metadata and noise-lens panels. Decoding
 * runs in the worker (`worker.ts`), which starts — and instantiates its decoder — as the page loads.
 */
import './page/controls.js';
import { openFromQuery } from './page/inputs.js';

openFromQuery();
