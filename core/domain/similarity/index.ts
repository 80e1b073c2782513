export { colognePhonetic } from './cologne-phonetic.js';
export { jaro, jaroWinkler } from './jaro-winkler.js';
export { foldName } from './name-fold.js';
export { areNicknames, nicknameFamilies } from './nicknames.js';
