import { describe, expect, it } from "vitest";
import { detectLanguage, pageTextQuality, readsAsLanguage } from "../../app/documents/page-language";

const ENGLISH =
  "Every shipped order is packed with recycled paper padding and sealed with paper tape. The packing slip lists each item and its quantity, and the courier label goes on the largest flat side of the box.";
const FRENCH =
  "La déclaration doit être déposée avant la fin du mois. Le montant de l'impôt dépend de la classe d'impôt et des revenus du foyer, qui sont indiqués sur le formulaire.";

describe("readsAsLanguage", () => {
  it("accepts running text in English and French, and a short page of labels", () => {
    expect(readsAsLanguage(ENGLISH)).toBe(true);
    expect(readsAsLanguage(FRENCH)).toBe(true);
    expect(readsAsLanguage("Form 160F-2019\nName Address Postcode\nTax year Signature Date")).toBe(true);
    expect(readsAsLanguage("Only the owner may read this page.")).toBe(true);
  });

  it("refuses symbol soup, letters in nonsense order, and an empty page", () => {
    expect(readsAsLanguage("┭┲┭ ┲┮┠ ═╡╣╫╩╮╧┠╡╮╤┠╳╨╩╰╰╩╮╧┠╯╲╤╥╲╳ ╅╶╥╲╹┠╳╨╩╰╰╥╤┠╯╲╤╥╲┠╩╳┠╰╡╣╫╥╤┠╷╩╴╨┠╲╥╣╹╣╬╥╤")).toBe(
      false,
    );
    const shifted = ENGLISH.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));
    expect(readsAsLanguage(`${shifted} ${shifted}`)).toBe(false);
    expect(readsAsLanguage("")).toBe(false);
    expect(readsAsLanguage("  12  ")).toBe(false);
  });
});

describe("pageTextQuality", () => {
  it("keeps a few clean words as sparse, so a title page is neither lost nor taken for running text", () => {
    expect(pageTextQuality("Old notes.")).toBe("sparse");
    expect(pageTextQuality("Page 3 of 10")).toBe("sparse");
    expect(pageTextQuality(ENGLISH)).toBe("language");
  });

  it("calls an empty page, a bare number and a few symbols garbage", () => {
    expect(pageTextQuality("")).toBe("garbage");
    expect(pageTextQuality("  12  ")).toBe("garbage");
    expect(pageTextQuality("┭┲┭ ┲┮┠ ═╡")).toBe("garbage");
    expect(pageTextQuality("Xqzt Rkpl")).toBe("garbage");
  });

  it("calls a page whose words extract as blanks garbage, though a heading and a sentence survive", () => {
    // As pdf.js extracts page 6 of TAMReview.pdf (pdf.js's test corpus): most words of its body font come out as spaces.
    const blanked = [
      "5",
      "          )                  %                    ?",
      "                      %         (                      )&                        (-.45)",
      "C                     The degree to which an individual believes that",
      "using a particular system would enhance his or her job performance&",
      "                             %                %",
      "Developing  measurement  scales  for  perceived  usefulness  and  perceived  ease  of",
      "                                 ",
    ].join("\n");
    expect(pageTextQuality(blanked)).toBe("garbage");
  });
});

describe("detectLanguage", () => {
  it("tells English from French by their function words, and falls back to simple", () => {
    expect(detectLanguage(ENGLISH)).toBe("english");
    expect(detectLanguage(FRENCH)).toBe("french");
    expect(detectLanguage("Zxq wrrt plk")).toBe("simple");
  });
});
