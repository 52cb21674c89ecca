/**
 * The `backend-speed` table (written by notebooks/00-tour.ipynb through measureBackendSpeed): milliseconds per
 * float32 product of two n×n matrices on the tensor backend in use, one row per timed call.
 */
import type { TableSchema } from '../../tables/schema';

export const BACKEND_SPEED_TABLE = 'backend-speed';

export const BACKEND_SPEED_SCHEMA: TableSchema = {
  operation: 'utf8',
  size: 'int32',
  backend: 'utf8',
  repeat: 'int32',
  ms: 'float64',
};

/** Throughput of an n×n by n×n product (2n³ floating-point operations) taking `ms` milliseconds, in GFLOP/s. */
export function matMulGflops(size: number, ms: number): number {
  return (2 * size ** 3) / (ms * 1e6);
}
