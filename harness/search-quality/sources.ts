/** Where each PDF of the search-quality evaluation comes from: public files of pdf.js's test corpus. */
export const CORPUS_REPOSITORY = "mozilla/pdf.js";
export const CORPUS_COMMIT = "0f26334f9d6f96119f6e5164fb65832fbbde7344";

export interface CorpusSource {
  /** The document's title in Stepwise, as an upload of the file would name it. */
  title: string;
  path: string;
  sha256: string;
  /** What makes the file worth having in the evaluation. */
  note: string;
}

export const CORPUS_SOURCES: CorpusSource[] = [
  {
    title: "tracemonkey",
    path: "test/pdfs/tracemonkey.pdf",
    sha256: "3662ff519e485810520552bf301d8c3b2b917fd2f83303f4965d7abed367e113",
    note: "a 14-page compiler paper (PLDI 2009), two columns, clean text layer",
  },
  {
    title: "160F-2019",
    path: "test/pdfs/160F-2019.pdf",
    sha256: "f41f0818365ffd14ca4e55c0556355193bd76632b970d60cc2dec554cac6f379",
    note: "a one-page Luxembourg salary certificate form, in French",
  },
  {
    title: "issue6127",
    path: "test/pdfs/issue6127.pdf",
    sha256: "75e1a2b98eb8fe6d65b6ac0e34ccfe3ad0a1d7bc0a08165301a14f5fb4caa73a",
    note: "a three-page French health-insurance form (cerfa 14411*01) with its notice",
  },
  {
    title: "file_pdfjs_test",
    path: "test/pdfs/file_pdfjs_test.pdf",
    sha256: "851fb6bfa4143203a284833c38138df1914a7ccca5e911dfaef8eb4e17e66b49",
    note: "a five-page article on Mozilla's automated testing",
  },
];
