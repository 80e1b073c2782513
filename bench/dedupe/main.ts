import { accuracyFigures } from './accuracy.js';

await accuracyFigures();
