export { createRetrievalService, defaultRetrievalTuning, type RetrievalService, type RetrievalTuning, type RetrieveParams } from "./service";
export { fuseReciprocalRank, RRF_K, type FusedHit, type FusionWeights } from "./fusion";
export type { QueryEmbedder, RetrievalBot, RetrievalResult, RetrievedChunk } from "./types";
