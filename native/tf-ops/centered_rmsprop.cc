// DistillLabRmsProp: the RMSProp step of src/nn/rmsprop.ts on every parameter of S networks at once (S = 1 without a
// seed axis), in one pass over the weights. Why by hand: as TensorFlow ops the same step is about fifteen
// element-wise passes over every weight (concatenations, squares, sums, a reciprocal square root, a split), which
// took 40 % of a five-seed update on this machine; no TensorFlow kernel applies RMSProp to tensors that are not
// variables. The arithmetic is rmsprop.ts's, with the same operations in the same order as the TensorFlow ops it
// replaces (1 − decay in float32, as they computed it; the eager route rounds that constant from a double):
//   ms ← ms·decay + g²·(1 − decay);  mg ← mg·decay + g·(1 − decay) (centred only)
//   θ ← θ − g·lr·scale,  scale = 1/√(ms − mg² + ε) or, with ε outside the root, 1/(√(ms − mg²) + ε)
// Parameters: N tensors [S, …] (or […] without the seed axis); gradients alike; slots [S, size] (or [size]), each row
// the seed's parameters flattened in order.
#include <cmath>
#include <vector>

#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"

using namespace tensorflow;  // NOLINT: the op-registration macros expect it

REGISTER_OP("DistillLabRmsProp")
    .Input("params: N * float")
    .Input("grads: N * float")
    .Input("mean_square: float")
    .Input("mean_gradient: float")
    .Input("learning_rate: float")
    .Input("decay: float")
    .Input("epsilon: float")
    .Input("epsilon_outside_root: float")
    .Input("centered: float")
    .Output("new_params: N * float")
    .Output("new_mean_square: float")
    .Output("new_mean_gradient: float")
    .Attr("N: int >= 1")
    .Attr("seeds: bool")
    .SetShapeFn([](shape_inference::InferenceContext* c) {
      int n;
      TF_RETURN_IF_ERROR(c->GetAttr("N", &n));
      for (int i = 0; i < n; ++i) c->set_output(i, c->input(i));
      c->set_output(n, c->input(2 * n));
      c->set_output(n + 1, c->input(2 * n + 1));
      return absl::OkStatus();
    });

// One parameter of one seed: `size` elements and their slots. The flags are template arguments and the arrays never
// overlap (every output is allocated afresh), so the loop has no branch and no alias check, and the compiler vectorises
// it (with -fno-math-errno for the square root).
template <bool kCentered, bool kOutside>
void Step(const float* __restrict__ p, const float* __restrict__ g, const float* __restrict__ ms_in,
          const float* __restrict__ mg_in, float* __restrict__ q, float* __restrict__ ms_out,
          float* __restrict__ mg_out, int64_t size, float lr, float decay, float keep, float eps) {
  for (int64_t j = 0; j < size; ++j) {
    const float grad = g[j];
    const float square = ms_in[j] * decay + (grad * grad) * keep;
    const float mean = kCentered ? mg_in[j] * decay + grad * keep : mg_in[j];
    const float denominator = kCentered ? square - mean * mean : square;
    const float scale = kOutside ? 1.0f / (std::sqrt(denominator) + eps) : 1.0f / std::sqrt(denominator + eps);
    ms_out[j] = square;
    mg_out[j] = mean;
    q[j] = p[j] - grad * lr * scale;
  }
}

class RmsPropOp : public OpKernel {
 public:
  explicit RmsPropOp(OpKernelConstruction* context) : OpKernel(context) {
    OP_REQUIRES_OK(context, context->GetAttr("N", &count_));
    OP_REQUIRES_OK(context, context->GetAttr("seeds", &seeds_));
  }

  void Compute(OpKernelContext* context) override {
    const int n = count_;
    const Tensor& first = context->input(0);
    OP_REQUIRES(context, !seeds_ || first.dims() >= 1, errors::InvalidArgument("parameter 0 lacks the seed axis"));
    const int64_t seeds = seeds_ ? first.dim_size(0) : 1;
    OP_REQUIRES(context, seeds >= 1, errors::InvalidArgument("a seed batch needs at least one seed, got ", seeds));
    for (int k = 2 * n + 2; k < 2 * n + 7; ++k) {
      OP_REQUIRES(context, TensorShapeUtils::IsScalar(context->input(k).shape()),
                  errors::InvalidArgument("input ", k, " (a hyper-parameter) must be a scalar, got shape ",
                                          context->input(k).shape().DebugString()));
    }
    std::vector<int64_t> sizes(n);
    int64_t row = 0;
    for (int i = 0; i < n; ++i) {
      const Tensor& param = context->input(i);
      const Tensor& grad = context->input(n + i);
      OP_REQUIRES(context, param.shape() == grad.shape(),
                  errors::InvalidArgument("parameter ", i, " has shape ", param.shape().DebugString(),
                                          " but its gradient ", grad.shape().DebugString()));
      OP_REQUIRES(context, !seeds_ || (param.dims() >= 1 && param.dim_size(0) == seeds),
                  errors::InvalidArgument("parameter ", i, " lacks the seed axis of ", seeds, " seeds"));
      sizes[i] = param.NumElements() / seeds;
      row += sizes[i];
    }
    const Tensor& ms = context->input(2 * n);
    const Tensor& mg = context->input(2 * n + 1);
    OP_REQUIRES(context, ms.NumElements() == seeds * row && mg.NumElements() == seeds * row,
                errors::InvalidArgument("the slots hold ", ms.NumElements(), " and ", mg.NumElements(),
                                        " values; the parameters need ", seeds * row));
    const float lr = context->input(2 * n + 2).scalar<float>()();
    const float decay = context->input(2 * n + 3).scalar<float>()();
    const float eps = context->input(2 * n + 4).scalar<float>()();
    const bool outside = context->input(2 * n + 5).scalar<float>()() > 0.5f;
    const bool centered = context->input(2 * n + 6).scalar<float>()() > 0.5f;
    const float keep = 1.0f - decay;

    Tensor* new_ms = nullptr;
    Tensor* new_mg = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(n, ms.shape(), &new_ms));
    OP_REQUIRES_OK(context, context->allocate_output(n + 1, mg.shape(), &new_mg));
    const float* ms_in = ms.flat<float>().data();
    const float* mg_in = mg.flat<float>().data();
    float* ms_out = new_ms->flat<float>().data();
    float* mg_out = new_mg->flat<float>().data();
    int64_t offset = 0;
    for (int i = 0; i < n; ++i) {
      Tensor* out = nullptr;
      OP_REQUIRES_OK(context, context->allocate_output(i, context->input(i).shape(), &out));
      const float* p = context->input(i).flat<float>().data();
      const float* g = context->input(n + i).flat<float>().data();
      float* q = out->flat<float>().data();
      const int64_t size = sizes[i];
      for (int64_t s = 0; s < seeds; ++s) {
        const int64_t at = s * size;
        const int64_t slot = s * row + offset;
        const auto step = centered ? (outside ? Step<true, true> : Step<true, false>)
                                   : (outside ? Step<false, true> : Step<false, false>);
        step(p + at, g + at, ms_in + slot, mg_in + slot, q + at, ms_out + slot, mg_out + slot, size, lr, decay, keep,
             eps);
      }
      offset += size;
    }
  }

 private:
  int count_;
  bool seeds_;
};

REGISTER_KERNEL_BUILDER(Name("DistillLabRmsProp").Device(DEVICE_CPU), RmsPropOp);
