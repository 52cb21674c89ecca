import { tf } from '/work/main/src/nn/tf';
import '/work/main/src/nn/backend';
(async () => {
  const node = require('@tensorflow/tfjs-node');
  const info = await node.node.getMetaGraphsFromSavedModel('/tmp/sm/m1');
  console.log(JSON.stringify(info[0].signatureDefs.update, null, 1).slice(0, 600));
  const m = await node.node.loadSavedModel('/tmp/sm/m1', ['serve'], 'update');
  const out = m.predict({ a: tf.tensor1d([1, 2]), b: tf.tensor1d([3, 4]) });
  console.log(Object.keys(out), out.sum.dataSync(), out.prod.dataSync());
})();
