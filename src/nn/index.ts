/** The nn layer's public API: tfjs with the project's backend loaded (`tf`) and which backend that is. */
export type { BackendInfo, BackendKind } from './backend';
export { backendInfo, tf } from './tf';
