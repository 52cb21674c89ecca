/**
 * tfjs with the project's backend loaded: import `tf` (and tensor types) from here, never from
 * '@tensorflow/tfjs' directly, so the backend is chosen before the first tensor exists.
 */
import { loadBackend } from './backend';

export const tf = loadBackend().tf;
export const backendInfo = loadBackend().info;
export type * from '@tensorflow/tfjs';
