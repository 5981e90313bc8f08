/** The crossing bundle: its line format, the streaming writer, the two-pass reader, receipts. */
export * from './format.js';
export { bundleChunks, writeBundle, type BundleObservation, type WriteBundleOptions, type WrittenBundle } from './writer.js';
export {
  readBundleBlocks,
  verifyBundleStream,
  type BundleBlock,
  type BundleChunks,
  type BundleProgress,
  type BundleRefusal,
  type ManifestCheck,
  type ParsedLine,
  type ReadBlocksOptions,
  type VerifiedBundle,
  type VerifyBundleOptions,
} from './reader.js';
export { admittedRoot, MAX_RECEIPT_REFUSALS, readReceipt, RECEIPT_PAYLOAD_TYPE, RECEIPT_TYPE, ReceiptBody, signReceipt, type ReceiptEnvelope, type ReceiptKey } from './receipt.js';
