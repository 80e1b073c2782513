/**
 * German given names and the short and familiar forms people are known by, so that
 * "Sepp Huber" and "Josef Huber" can be the same person. Curated for crmsync from common
 * usage; each line is one name family, the formal name first. A short form that belongs to
 * two families (Hanne: Johanna or Hannelore) is listed in both.
 */
const families: readonly (readonly string[])[] = [
  ['johannes', 'hans', 'hannes', 'johann', 'jan', 'hanno', 'jo', 'jens'],
  ['josef', 'joseph', 'sepp', 'seppl', 'sepp', 'jupp', 'joschi', 'beppo'],
  ['georg', 'schorsch', 'jörg', 'jürgen', 'görge'],
  ['wolfgang', 'wolf', 'wolfi'],
  ['friedrich', 'fritz', 'friedel', 'fred', 'frieder'],
  ['wilhelm', 'willi', 'willy', 'wim', 'helm'],
  ['heinrich', 'heinz', 'hinrich', 'hein', 'heiner', 'henning', 'henry'],
  ['karl', 'carl', 'kalle', 'charly', 'karli'],
  ['alexander', 'alex', 'sascha', 'xander', 'sandro'],
  ['alexandra', 'alex', 'sandra', 'sascha', 'xandra'],
  ['andreas', 'andi', 'andy', 'andres'],
  ['bernhard', 'bernd', 'berni', 'benno'],
  ['christian', 'chris', 'christoph', 'krischan'],
  ['christine', 'christina', 'chris', 'tina', 'kristin', 'christa', 'stine'],
  ['christoph', 'christopher', 'chris', 'stoffel'],
  ['daniel', 'dani', 'danny'],
  ['dietrich', 'dieter', 'dirk', 'didi', 'dietmar'],
  ['eberhard', 'ebi', 'eberle'],
  ['elisabeth', 'elise', 'lisa', 'liesel', 'lis', 'elsbeth', 'else', 'betty', 'sissi', 'ilse', 'lilli'],
  ['franz', 'franziskus', 'franzl', 'ferenc'],
  ['franziska', 'franzi', 'fanny', 'ziska'],
  ['gabriele', 'gabi', 'gaby', 'ella'],
  ['gerhard', 'gerd', 'gert', 'gerdi', 'hardy'],
  ['gottfried', 'friedel', 'götz'],
  ['gregor', 'gregory', 'gori'],
  ['gudrun', 'gudi', 'gunda'],
  ['hannelore', 'hanne', 'lore', 'hanna'],
  ['johanna', 'hanna', 'hanne', 'hannah', 'jo', 'jana'],
  ['helmut', 'helmuth', 'helle', 'helmi'],
  ['herbert', 'herbie', 'bert'],
  ['hermann', 'hemmo', 'manni'],
  ['jakob', 'jacob', 'jockel', 'köbi', 'jack'],
  ['joachim', 'achim', 'jochen', 'jo'],
  ['katharina', 'katrin', 'kathrin', 'käthe', 'kathi', 'katja', 'kati', 'trine', 'karin', 'katarina'],
  ['klaus', 'nikolaus', 'niklas', 'claus', 'nick', 'niko', 'nils'],
  ['konrad', 'kurt', 'conny', 'konni', 'kuno'],
  ['cornelia', 'conny', 'nele', 'cornelie'],
  ['ludwig', 'lutz', 'lui', 'louis'],
  ['magdalena', 'magda', 'lena', 'leni', 'madlen'],
  ['helena', 'helene', 'lena', 'leni', 'ella'],
  [
    'margarete',
    'margarethe',
    'grete',
    'gretel',
    'greta',
    'gretchen',
    'marga',
    'margit',
    'maggie',
    'rita',
    'margot',
  ],
  ['maria', 'marie', 'mia', 'mimi', 'mizzi', 'ria'],
  ['markus', 'marcus', 'mark', 'marc', 'marco'],
  ['martin', 'martl', 'tino'],
  ['matthias', 'mathias', 'matthäus', 'matze', 'hias', 'thias', 'matti'],
  ['maximilian', 'max', 'maxi', 'maxl'],
  ['michael', 'michi', 'micha', 'mike', 'michel', 'michl'],
  ['nikolaus', 'nikolai', 'nico', 'niko', 'klaus', 'niklas'],
  ['norbert', 'nobbi', 'norbi'],
  ['oskar', 'oscar', 'ossi'],
  ['otto', 'ottmar', 'otti'],
  ['patrick', 'pat', 'paddy', 'patte'],
  ['peter', 'pit', 'piet', 'pete'],
  ['philipp', 'phil', 'flip', 'lipp'],
  ['rainer', 'reiner', 'reinhard', 'reinhold', 'reini'],
  ['richard', 'richie', 'rick', 'rico'],
  ['robert', 'rob', 'robbie', 'bob', 'bert', 'robby'],
  ['rudolf', 'rudi', 'rolf', 'dolf'],
  ['sebastian', 'basti', 'wastl', 'bastian', 'sebi'],
  ['siegfried', 'siggi', 'sigi', 'friedel'],
  ['stefan', 'stephan', 'steffen', 'steff', 'steve'],
  ['stefanie', 'stephanie', 'steffi', 'fanny'],
  ['susanne', 'susi', 'sanne', 'susanna', 'suse', 'sanna'],
  ['theodor', 'theo', 'teddy', 'ted'],
  ['thomas', 'tom', 'tommy', 'thommy'],
  ['ulrich', 'ulli', 'uli', 'ulf', 'utz'],
  ['ulrike', 'ulli', 'uli', 'rike'],
  ['valentin', 'valle', 'tino'],
  ['vinzenz', 'vinz', 'enz'],
  ['walter', 'walther', 'walti', 'waldi'],
  ['werner', 'wern', 'werni'],
  ['wolfram', 'wolf', 'wolfi'],
  ['anna', 'anne', 'anni', 'annette', 'antje', 'anja', 'nina', 'nanni'],
  ['antonia', 'toni', 'tonja'],
  ['anton', 'toni', 'tony', 'tonio'],
  ['barbara', 'babs', 'bärbel', 'babette', 'barbi', 'wawa'],
  ['brigitte', 'gitte', 'gitti', 'birgit', 'britta', 'brigitta'],
  ['dorothea', 'dora', 'doris', 'thea', 'dorle', 'dörte', 'dorit'],
  ['eleonore', 'lore', 'nora', 'ellen', 'leonore'],
  ['emanuel', 'manuel', 'manu', 'immanuel'],
  ['friederike', 'frieda', 'rike', 'frida', 'friedl'],
  ['gertrud', 'gertrude', 'trude', 'gerti', 'trudi'],
  ['hedwig', 'hedi', 'hede'],
  ['ingeborg', 'inge', 'ingrid', 'ina'],
  ['isabella', 'isabel', 'bella', 'isa'],
  ['juliane', 'julia', 'jule', 'julie', 'jana'],
  ['julius', 'jules', 'juli'],
  ['kornelius', 'cornelius', 'conny', 'nils'],
  ['leopold', 'leo', 'poldi', 'poldl'],
  ['leonhard', 'leonard', 'leo', 'lenz', 'lennart'],
  ['lorenz', 'lenz', 'enzo'],
  ['manfred', 'manni', 'fred'],
  ['marianne', 'mariane', 'janne', 'anne'],
  ['mechthild', 'mechthilde', 'hilde', 'mechti'],
  ['mathilde', 'tilde', 'tilly', 'hilde'],
  ['brunhilde', 'hilde', 'brunhild'],
  ['monika', 'moni', 'monique'],
  ['natalie', 'nathalie', 'natascha', 'nati', 'talia'],
  ['nikola', 'nicole', 'nicky', 'nikki'],
  ['ottilie', 'tilli', 'ottilia'],
  ['regina', 'gina', 'reggie'],
  ['rosemarie', 'rosi', 'rose', 'rosa', 'rosmarie'],
  ['sabine', 'bine', 'sabi', 'biene'],
  ['sophie', 'sofie', 'sophia', 'sofia', 'fee'],
  ['theresia', 'therese', 'resi', 'thesi', 'tessa', 'theresa', 'resl'],
  ['ursula', 'uschi', 'ulla', 'usch', 'ursel'],
  ['veronika', 'vroni', 'vera', 'nicki'],
  ['viktoria', 'victoria', 'vicky', 'tori'],
  ['walburga', 'burgi', 'walli', 'wally'],
  ['wilhelmine', 'mina', 'minna', 'helmi', 'willa'],
  ['benedikt', 'bene', 'benno', 'ben'],
  ['benjamin', 'ben', 'benni', 'benny'],
  ['dominik', 'dom', 'nick', 'domi'],
  ['eduard', 'edi', 'edu', 'ede', 'ed'],
  ['ferdinand', 'ferdl', 'ferdi', 'nando'],
  ['florian', 'flo', 'flori'],
  ['gustav', 'gustl', 'gus', 'gusti'],
  ['hubert', 'hubsi', 'hubertus', 'bert'],
  ['jonathan', 'jonas', 'jon', 'john'],
  ['kilian', 'killian', 'kili'],
  ['konstantin', 'constantin', 'kosta', 'konsti', 'stan'],
  ['lukas', 'lucas', 'luke', 'luki'],
  ['raphael', 'rafael', 'rafi'],
  ['tobias', 'tobi', 'toby'],
  ['valerie', 'vali', 'vale'],
];

/** Each name's families, by its folded spelling. */
const familiesOfName = (() => {
  const index = new Map<string, number[]>();
  families.forEach((family, number) => {
    for (const name of new Set(family.map(foldGivenName))) {
      const found = index.get(name);
      if (found) found.push(number);
      else index.set(name, [number]);
    }
  });
  return index;
})();

/** Umlauts written both ways match: Jörg = Joerg. */
function foldGivenName(name: string): string {
  return name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
}

/**
 * The name families a given name belongs to, as stable ids ("nick:12"); none for a name the
 * table does not know. Two names are nicknames of each other when they share a family.
 * Expects a folded name (lower case, umlauts spelt out), as `nameKey` gives.
 */
export function nicknameFamilies(foldedGivenName: string): readonly string[] {
  return (familiesOfName.get(foldedGivenName) ?? []).map((number) => `nick:${number}`);
}

/** Whether two folded given names are a name and one of its familiar forms (or two forms of one name). */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const ofA = familiesOfName.get(a);
  const ofB = familiesOfName.get(b);
  return !!ofA && !!ofB && ofA.some((family) => ofB.includes(family));
}
