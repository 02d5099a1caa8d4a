// npm ci (postinstall): removes the weights of the font packages that the PDF's font
// configuration does not name (see src/render/pdf/font-weights.ts).

import { pruneUnusedWeights } from '../src/render/pdf/font-weights.ts';

const { removed, bytes } = pruneUnusedWeights(process.cwd());
if (removed.length) {
  process.stdout.write(`字体：删去 ${removed.length} 个未用的字重（${Math.round(bytes / 1e6)} MB）；改用其他字重后请再运行 npm ci\n`);
}
