import { figure, peakRssMiB, quick } from '../support/report.js';
import { accuracyFigures, ratio } from './accuracy.js';
import { scaleInOwnProcess } from './scale-process.js';

// Accuracy on the public sets (contact fields only), then speed and memory at scale; the
// sure rules are counted on both, since only the generated set has mobile numbers.
const labelled = await accuracyFigures();
const generated = await scaleInOwnProcess(quick ? 100_000 : 1_000_000, 10_000);
const found = labelled.found + generated.found;
ratio('dedupe sure precision', found ? (labelled.right + generated.right) / found : 1);
figure('dedupe sure pairs judged', found, 'pairs');
figure('dedupe peak rss', Math.max(peakRssMiB(), generated.peakRssMiB), 'MiB');
