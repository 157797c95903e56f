/**
 * The four kinds of query the evaluation holds: the distinctive words of a passage; a question in other words
 * than the page's; a phrase in quotes, as it stands on the page; and queries in French on French documents.
 */
export const QUERY_KINDS = ["keyword", "paraphrase", "phrase", "non-english"] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export interface LabelledQuery {
  kind: QueryKind;
  query: string;
  /** The document's title (see sources.ts). */
  document: string;
  /** The pages that answer the query: every page that does, so a right answer is never counted wrong. */
  pages: number[];
  /** Words that stand on each of those pages (spaces and case aside): the check that the label is right. */
  evidence: string;
}

/**
 * The labelled queries. Each was written from the page it names, and tests/unit/search-quality.test.ts checks
 * its evidence against the corpus's text of every page listed.
 */
export const LABELS: LabelledQuery[] = [
  // Distinctive keywords.
  {
    kind: "keyword",
    query: "tail duplication code cache",
    document: "tracemonkey",
    pages: [2],
    evidence: "tail duplication, which can easily overflow the code cache",
  },
  {
    kind: "keyword",
    query: "blacklisting backoff counter",
    document: "tracemonkey",
    pages: [6],
    evidence: "This backoff counter gives temporary conditions",
  },
  {
    kind: "keyword",
    query: "trace stitching",
    document: "tracemonkey",
    pages: [9],
    evidence: "6.2 Trace Stitching",
  },
  {
    kind: "keyword",
    query: "FORCESSTACK REQUIRESSTACK annotations",
    document: "tracemonkey",
    pages: [10],
    evidence: "FORCESSTACK is a trusted annotation",
  },
  {
    kind: "keyword",
    query: "soft-float filter",
    document: "tracemonkey",
    pages: [8],
    evidence: "a soft-float filter converts floating-point LIR instructions",
  },
  {
    kind: "keyword",
    query: "oracle type-unstable loop integers",
    document: "tracemonkey",
    pages: [5],
    evidence: "an advisory data structure which we call the “oracle”",
  },
  {
    kind: "keyword",
    query: "Form 160F tax",
    document: "160F-2019",
    pages: [1],
    evidence: "modèle 160 année : 2019",
  },
  {
    kind: "keyword",
    query: "tcheckerboard pinch zoom",
    document: "file_pdfjs_test",
    pages: [3],
    evidence: "Similar to tcheckerboard, but supports pinch to zoom",
  },
  {
    kind: "keyword",
    query: "Peptest event loop",
    document: "file_pdfjs_test",
    pages: [4],
    evidence: "event loop is stuck for more than 50 ms",
  },
  {
    kind: "keyword",
    query: "mark-and-sweep garbage collector",
    document: "tracemonkey",
    pages: [8],
    evidence: "mark-and-sweep collector",
  },
  {
    kind: "keyword",
    query: "Mozmill localized builds",
    document: "file_pdfjs_test",
    pages: [4],
    evidence: "Mozmill to test localized builds",
  },
  {
    kind: "keyword",
    query: "regexp-dna",
    document: "tracemonkey",
    pages: [11, 12],
    evidence: "regexp-dna",
  },

  // Paraphrases: the question as a reader would put it, in few of the page's words.
  {
    kind: "paraphrase",
    query: "what does the compiler do when recording a loop keeps failing?",
    document: "tracemonkey",
    pages: [6],
    evidence: "blacklisting traces that have been tried and failed",
  },
  {
    kind: "paraphrase",
    query: "keeping numbers as ints rather than floating point doubles",
    document: "tracemonkey",
    pages: [5],
    evidence: "we support two representations for numbers: integers and doubles",
  },
  {
    kind: "paraphrase",
    query: "why code that throws lots of errors could run slower than interpreting it",
    document: "tracemonkey",
    pages: [6],
    evidence: "VM could potentially run much more slowly than the base interpreter",
  },
  {
    kind: "paraphrase",
    query: "calling C functions of the browser from compiled traces",
    document: "tracemonkey",
    pages: [10],
    evidence: "call C builtins and host system functions",
  },
  {
    kind: "paraphrase",
    query: "who paid for this research",
    document: "tracemonkey",
    pages: [13],
    evidence: "sponsored by the National Science Foundation",
  },
  {
    kind: "paraphrase",
    query: "checking that two pages are drawn exactly the same",
    document: "file_pdfjs_test",
    pages: [2],
    evidence: "verifies that two web pages are rendered identically",
  },
  {
    kind: "paraphrase",
    query: "where should a JavaScript test go that needs no browser window?",
    document: "file_pdfjs_test",
    pages: [1],
    evidence: "If you don't need a window, use this",
  },
  {
    kind: "paraphrase",
    query: "how long Firefox takes to launch",
    document: "file_pdfjs_test",
    pages: [3],
    evidence: "Tests the startup time of Firefox by opening the browser 20 times",
  },
  {
    kind: "paraphrase",
    query: "compiling inner and outer loops each on their own",
    document: "tracemonkey",
    pages: [7],
    evidence: "the system can compile inner and outer loops separately",
  },
  {
    kind: "paraphrase",
    query: "a test that opens a page to see whether the browser falls over",
    document: "file_pdfjs_test",
    pages: [2, 4],
    evidence: "crashtest",
  },

  // Exact phrases, in quotes as a user types them.
  {
    kind: "phrase",
    query: '"if each loop is represented by its own trace tree"',
    document: "tracemonkey",
    pages: [7],
    evidence: "The key insight is that if each loop is represented by its own trace tree",
  },
  {
    kind: "phrase",
    query: '"a bytecode executes in about 35 cycles"',
    document: "tracemonkey",
    pages: [12],
    evidence: "a bytecode executes in about 35 cycles",
  },
  {
    kind: "phrase",
    query: '"constant folding filter"',
    document: "tracemonkey",
    pages: [8],
    evidence: "the constant folding filter can replace a multiply instruction",
  },
  {
    kind: "phrase",
    query: '"two representations for numbers"',
    document: "tracemonkey",
    pages: [5],
    evidence: "we support two representations for numbers",
  },
  {
    kind: "phrase",
    query: '"pick the lowest-level framework that you can"',
    document: "file_pdfjs_test",
    pages: [1],
    evidence: "you should pick the lowest-level framework that you can",
  },
  {
    kind: "phrase",
    query: '"Talos runs just fine with a few limitations"',
    document: "file_pdfjs_test",
    pages: [5],
    evidence: "Talos runs just fine with a few limitations",
  },
  {
    kind: "phrase",
    query: '"Tests the startup time of Firefox"',
    document: "file_pdfjs_test",
    pages: [3],
    evidence: "ts: Tests the startup time of Firefox",
  },
  {
    kind: "phrase",
    query: '"trace tree covering all the hot paths"',
    document: "tracemonkey",
    pages: [2],
    evidence: "the VM records a trace tree covering all the hot paths through the loop",
  },
  {
    kind: "phrase",
    query: '"garbage collector is an exact, non-generational"',
    document: "tracemonkey",
    pages: [8],
    evidence: "The garbage collector is an exact, non-generational",
  },

  // French, on the French forms.
  {
    kind: "non-english",
    query: "classe d'impot",
    document: "160F-2019",
    pages: [1],
    evidence: "classe d'impôt et taux (suivant fiche)",
  },
  {
    kind: "non-english",
    query: "crédit d'impôt monoparental",
    document: "160F-2019",
    pages: [1],
    evidence: "crédit d'impôt monoparental bonifié CIM",
  },
  {
    kind: "non-english",
    query: "salaires payés pour les heures supplémentaires",
    document: "160F-2019",
    pages: [1],
    evidence: "salaires payés pour les heures",
  },
  {
    kind: "non-english",
    query: "nombre de jours imposables au Luxembourg",
    document: "160F-2019",
    pages: [1],
    evidence: "nombre de jours imposables",
  },
  {
    kind: "non-english",
    query: "certificat de retenue d'impôt",
    document: "160F-2019",
    pages: [1],
    evidence: "Certificat de salaire, de retenue d'impôt et de crédits d'impôt",
  },
  {
    kind: "non-english",
    query: "qui peut être ayant droit : ascendant, descendant, conjoint",
    document: "issue6127",
    pages: [3],
    evidence: "Personnes pouvant prétendre à la qualité d’ayant droit",
  },
  {
    kind: "non-english",
    query: "pièces à fournir, copie du livret de famille",
    document: "issue6127",
    pages: [3],
    evidence: "une copie du livret de famille mis à jour",
  },
  {
    kind: "non-english",
    query: "volet à conserver par le signataire",
    document: "issue6127",
    pages: [2],
    evidence: "à conserver à titre d'information par le signataire",
  },
  {
    kind: "non-english",
    query: "sanctions pour fraude ou fausse déclaration",
    document: "issue6127",
    pages: [1, 2],
    evidence: "fraude ou de fausse déclaration est passible de pénalités financières",
  },
  {
    kind: "non-english",
    query: "personne vivant depuis douze mois chez l'assuré",
    document: "issue6127",
    pages: [3],
    evidence: "la personne qui vit depuis 12 mois consécutifs avec l’assuré(e)",
  },
  {
    kind: "non-english",
    query: "liste des pays de l'Union européenne et de l'EEE",
    document: "issue6127",
    pages: [3],
    evidence: "Les pays de l’UE/EEE sont les suivants",
  },
  {
    kind: "non-english",
    query: "formulaire pour rattacher les enfants à leurs parents",
    document: "issue6127",
    pages: [3],
    evidence: "formulaire spécifique pour le rattachement des enfants à leurs parents (formulaire S3705)",
  },
];
