/** Limits shared by the upload form (checked in the browser) and the server (checked again). */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
export const MAX_DOCUMENT_PAGES = 500;
export const MAX_QUERY_LENGTH = 1_000;

export const MAX_DOCUMENT_SIZE_TEXT = `${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`;
