/** The log layer's public API: a run's TensorBoard event files, written and read back. */
export { readScalarEvents, type ScalarEvent, TENSORBOARD_DIR, TensorBoardLog } from './tensorboard';
