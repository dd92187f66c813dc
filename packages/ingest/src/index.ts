export * from "./types";
export * from "./errors";
export { detectFileType, sniffTextKind, isJsonPrefix, DETECT_HEAD_BYTES, mimeTypes, type DetectedFileType } from "./detect/index";
export { inspectPdf, isEncryptedPdf, assertPdfLooksComplete, PDF_TAIL_BYTES, type PdfInspection } from "./pdf-inspect";
export * from "./extract/index";
export * from "./chunk";
export { countTokens, TOKENIZER_NAME } from "./tokens";
export { fetchUrlSafely, checkUrl, isPublicAddress, type FetchUrlOptions, type FetchedUrl, type ResolvedAddress, type CheckedTarget } from "./fetch";
export { decodeText, charsetFromContentType, charsetFromHtmlMeta } from "./text-decode";
